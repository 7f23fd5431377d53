// A small JSON writer for the CLI's --json output: compact, UTF-8 passed through, control
// characters escaped, bytes that are not UTF-8 replaced by U+FFFD (the output is always
// valid). The shapes it writes are documented in docs/cli.md and are stable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::cli {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The key of the next value inside an object.
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view{text}); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // A string, or null when empty.
  JsonWriter& string_or_null(std::string_view text);
  JsonWriter& value(const std::optional<std::int64_t>& number);
  // A value that is already a JSON document (another command's --json output), inserted as is.
  JsonWriter& raw(std::string_view json);

  // The document so far, with a trailing newline.
  [[nodiscard]] std::string str() const { return m_text + "\n"; }

 private:
  void separate();

  std::string m_text;
  // Per open container: whether it already holds an element.
  std::vector<bool> m_has_element;
  bool m_after_key = false;
};

[[nodiscard]] std::string json_quote(std::string_view text);

}  // namespace strata::cli
