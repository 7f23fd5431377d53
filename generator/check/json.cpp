// Recursive-descent JSON reader (RFC 8259), enough for libpg_query's output.
#include "check/json.hpp"

#include <charconv>
#include <cstring>
#include <string>

#include "check/nesting.hpp"

namespace strata::generator::json {
namespace {
const Value null_value{};

// A copy of `text` that lives as long as `arena`.
std::string_view copy_into(std::pmr::memory_resource& arena, std::string_view text) {
  char* copy = static_cast<char*>(arena.allocate(text.size(), 1));
  std::memcpy(copy, text.data(), text.size());
  return {copy, text.size()};
}
}  // namespace

class Parser {
 public:
  Parser(std::string_view text, std::pmr::memory_resource* arena) : m_text{text}, m_arena{arena} {}

  bool document(Value& root) {
    if (!parse_value(root, 0))
      return false;
    skip_space();
    return m_pos == m_text.size();
  }

 private:
  // Nodes nest a few levels per level of SQL nesting (check/nesting.hpp bounds that); deeper
  // input is not libpg_query's.
  static constexpr std::size_t max_depth = 8 * max_nesting;

  void skip_space() noexcept {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' ||
                                     m_text[m_pos] == '\r' || m_text[m_pos] == '\t')) {
      ++m_pos;
    }
  }

  bool consume(std::string_view word) noexcept {
    if (m_text.substr(m_pos, word.size()) != word)
      return false;
    m_pos += word.size();
    return true;
  }

  bool parse_value(Value& out, std::size_t depth) {
    if (depth > max_depth)
      return false;
    skip_space();
    if (m_pos >= m_text.size())
      return false;
    const char c = m_text[m_pos];
    if (c == '{')
      return parse_object(out, depth);
    if (c == '[')
      return parse_array(out, depth);
    if (c == '"') {
      out.m_type = Value::Type::string;
      return parse_string(out.m_text);
    }
    if (consume("true")) {
      out.m_type = Value::Type::boolean;
      out.m_flag = true;
      return true;
    }
    if (consume("false")) {
      out.m_type = Value::Type::boolean;
      return true;
    }
    if (consume("null"))
      return true;
    const std::size_t start = m_pos;
    while (m_pos < m_text.size() &&
           std::string_view{"+-0123456789.eE"}.find(m_text[m_pos]) != std::string_view::npos) {
      ++m_pos;
    }
    if (m_pos == start)
      return false;
    out.m_type = Value::Type::number;
    out.m_text = m_text.substr(start, m_pos - start);
    return true;
  }

  bool parse_object(Value& out, std::size_t depth) {
    out.m_type = Value::Type::object;
    ++m_pos;
    skip_space();
    if (consume("}"))
      return true;
    while (true) {
      skip_space();
      std::string_view key;
      if (m_pos >= m_text.size() || m_text[m_pos] != '"' || !parse_string(key))
        return false;
      skip_space();
      if (!consume(":"))
        return false;
      Value& value = out.m_items.emplace_back(m_arena);
      if (!parse_value(value, depth + 1))
        return false;
      out.m_keys.push_back(key);
      skip_space();
      if (consume(","))
        continue;
      return consume("}");
    }
  }

  bool parse_array(Value& out, std::size_t depth) {
    out.m_type = Value::Type::array;
    ++m_pos;
    skip_space();
    if (consume("]"))
      return true;
    while (true) {
      if (!parse_value(out.m_items.emplace_back(m_arena), depth + 1))
        return false;
      skip_space();
      if (consume(","))
        continue;
      return consume("]");
    }
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  bool parse_hex4(unsigned& code) {
    if (m_pos + 4 > m_text.size())
      return false;
    const auto* first = m_text.data() + m_pos;
    const auto result = std::from_chars(first, first + 4, code, 16);
    if (result.ptr != first + 4)
      return false;
    m_pos += 4;
    return true;
  }

  // Where the string being read ends or has an escape. (find_first_of calls memchr per character.)
  [[nodiscard]] std::size_t quote_or_escape() const noexcept {
    for (std::size_t i = m_pos; i < m_text.size(); ++i) {
      if (m_text[i] == '"' || m_text[i] == '\\')
        return i;
    }
    return std::string_view::npos;
  }

  // A string without escapes (nearly all of them) is a view into the text; one with escapes is
  // unescaped into the arena.
  bool parse_string(std::string_view& out) {
    const std::size_t start = ++m_pos;  // after the opening quote
    const std::size_t stop = quote_or_escape();
    if (stop == std::string_view::npos)
      return false;
    if (m_text[stop] == '"') {
      out = m_text.substr(start, stop - start);
      m_pos = stop + 1;
      return true;
    }
    std::string unescaped;
    if (!unescape(unescaped))
      return false;
    out = copy_into(*m_arena, unescaped);
    return true;
  }

  bool unescape(std::string& out) {
    while (m_pos < m_text.size()) {
      const std::size_t stop = quote_or_escape();
      if (stop == std::string_view::npos)
        return false;
      out.append(m_text.data() + m_pos, stop - m_pos);
      m_pos = stop + 1;
      if (m_text[stop] == '"')
        return true;
      if (m_pos >= m_text.size())
        return false;
      const char e = m_text[m_pos++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          unsigned code = 0;
          if (!parse_hex4(code))
            return false;
          if (code >= 0xD800 && code < 0xDC00 && consume("\\u")) {
            unsigned low = 0;
            if (!parse_hex4(low))
              return false;
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default:
          out += e;  // \" \\ \/
      }
    }
    return false;
  }

  std::string_view m_text;
  std::pmr::memory_resource* m_arena;
  std::size_t m_pos = 0;
};

const Value& Value::operator[](std::string_view key) const noexcept {
  for (std::size_t i = 0; i < m_keys.size(); ++i) {
    if (m_keys[i] == key)
      return m_items[i];
  }
  return null_value;
}

const Value& Value::operator[](std::size_t index) const noexcept {
  return m_type == Type::array && index < m_items.size() ? m_items[index] : null_value;
}

bool Value::contains(std::string_view key) const noexcept {
  for (const auto& k : m_keys) {
    if (k == key)
      return true;
  }
  return false;
}

long long Value::integer(long long fallback) const noexcept {
  if (m_type != Type::number)
    return fallback;
  long long value = fallback;
  const auto result = std::from_chars(m_text.data(), m_text.data() + m_text.size(), value);
  return result.ec == std::errc{} ? value : fallback;
}

struct Document::Storage {
  std::pmr::monotonic_buffer_resource arena;
  // The tree is built in the arena and never destroyed node by node: every byte it holds is the
  // arena's, released at once, and destroying it node by node would recurse as deep as the tree
  // (a statement of 25,000 nested levels, on whatever thread drops the document).
  Value& root = *std::pmr::polymorphic_allocator<Value>{&arena}.new_object<Value>(&arena);
};

Document::Document(std::unique_ptr<Storage> storage) noexcept : m_storage{std::move(storage)} {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

const Value& Document::root() const noexcept {
  return m_storage->root;
}

std::optional<Document> Document::parse(std::string_view text) {
  auto storage = std::make_unique<Storage>();
  if (!Parser{copy_into(storage->arena, text), &storage->arena}.document(storage->root))
    return std::nullopt;
  return Document{std::move(storage)};
}

}  // namespace strata::generator::json
