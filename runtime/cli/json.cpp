// The JSON writer behind --json.
#include "json.hpp"

#include <array>

#include "utf8.hpp"

namespace strata::cli {

std::string json_quote(std::string_view text) {
  std::string out{"\""};
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // A JSON document is UTF-8: a byte that is not part of a valid sequence (a name or statement
    // from a history row written by anyone) becomes U+FFFD, never a raw byte.
    if (const std::size_t length = detail::utf8_sequence_length(text, i); length != 1) {
      if (length == 0) {
        out += "\\ufffd";
      } else {
        out.append(text.substr(i, length));
        i += length - 1;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
          const auto byte = static_cast<unsigned char>(c);
          out += "\\u00";
          out += hex[byte >> 4U];
          out += hex[byte & 0x0FU];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

void JsonWriter::separate() {
  if (m_after_key) {
    m_after_key = false;
    return;
  }
  if (!m_has_element.empty()) {
    if (m_has_element.back())
      m_text += ',';
    m_has_element.back() = true;
  }
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  m_text += '{';
  m_has_element.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  m_text += '}';
  m_has_element.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  m_text += '[';
  m_has_element.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  m_text += ']';
  m_has_element.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  m_text += json_quote(name);
  m_text += ':';
  m_after_key = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  m_text += json_quote(text);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  separate();
  m_text += std::to_string(number);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separate();
  m_text += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  while (!json.empty() && (json.back() == '\n' || json.back() == ' '))
    json.remove_suffix(1);
  m_text += json;
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  m_text += "null";
  return *this;
}

JsonWriter& JsonWriter::string_or_null(std::string_view text) {
  return text.empty() ? null() : value(text);
}

JsonWriter& JsonWriter::value(const std::optional<std::int64_t>& number) {
  return number ? value(*number) : null();
}

}  // namespace strata::cli
