// A minimal JSON reader for libpg_query's parse trees (pg_query_parse returns JSON; the protobuf
// form would need protobuf-c headers Debian does not ship with libpg-query-dev).
//
// Read-only and forgiving on lookup: asking a missing key or index yields a shared null value,
// so tree walks read like `stmt["IndexStmt"]["concurrent"].boolean()`.
//
// A Document owns its text and every node in one arena: keys, strings and numbers are views into
// the text, and the whole tree is released at once. `strata check` reads a tree per statement,
// and a tree of separately allocated strings and vectors cost it about a third of its time.
#pragma once

#include <cstddef>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string_view>
#include <vector>

namespace strata::generator::json {

class Value {
 public:
  enum class Type : unsigned char { null, boolean, number, string, array, object };

  Value() noexcept = default;
  explicit Value(std::pmr::memory_resource* arena) noexcept : m_keys{arena}, m_items{arena} {}

  [[nodiscard]] Type type() const noexcept { return m_type; }
  [[nodiscard]] bool is_null() const noexcept { return m_type == Type::null; }
  [[nodiscard]] bool is_object() const noexcept { return m_type == Type::object; }
  [[nodiscard]] bool is_string() const noexcept { return m_type == Type::string; }

  // Member of an object, or the null value.
  [[nodiscard]] const Value& operator[](std::string_view key) const noexcept;
  // Element of an array, or the null value.
  [[nodiscard]] const Value& operator[](std::size_t index) const noexcept;
  [[nodiscard]] bool contains(std::string_view key) const noexcept;

  // Elements of an array / values of an object, in order.
  [[nodiscard]] const std::pmr::vector<Value>& items() const noexcept { return m_items; }
  // Keys of an object, parallel to items().
  [[nodiscard]] const std::pmr::vector<std::string_view>& keys() const noexcept { return m_keys; }
  [[nodiscard]] std::size_t size() const noexcept { return m_items.size(); }

  // The text of a string (empty for other types).
  [[nodiscard]] std::string_view string() const noexcept {
    return m_type == Type::string ? m_text : std::string_view{};
  }
  [[nodiscard]] bool boolean() const noexcept { return m_type == Type::boolean && m_flag; }
  // A number as an integer (0 for other types or fractional text).
  [[nodiscard]] long long integer(long long fallback = 0) const noexcept;

 private:
  friend class Parser;
  Type m_type = Type::null;
  bool m_flag = false;
  std::string_view m_text;  // string contents, or number text
  std::pmr::vector<std::string_view> m_keys;
  std::pmr::vector<Value> m_items;
};

// A parsed JSON text. Cheap to move; nodes keep their addresses.
class Document {
 public:
  // Parses a complete JSON text (copied); nullopt on malformed input.
  [[nodiscard]] static std::optional<Document> parse(std::string_view text);

  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  [[nodiscard]] const Value& root() const noexcept;
  [[nodiscard]] const Value& operator[](std::string_view key) const noexcept { return root()[key]; }

 private:
  struct Storage;
  explicit Document(std::unique_ptr<Storage> storage) noexcept;
  std::unique_ptr<Storage> m_storage;
};

}  // namespace strata::generator::json
