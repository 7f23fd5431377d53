// Escaping text into C++ string literals.
#include "emit/cpp_literal.hpp"

namespace strata::generator {

std::string cpp_string_literal(std::string_view text, std::string_view indent) {
  std::string out;
  out.reserve(text.size() + text.size() / 8 + 4);
  out += '"';
  char previous = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n\"";
      if (i + 1 < text.size()) {
        out += '\n';
        out += indent;
        out += '"';
      } else {
        return out;
      }
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '?' && previous == '?') {
      out += "\\?";
    } else if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      out += '\\';
      out += static_cast<char>('0' + ((byte >> 6U) & 7U));
      out += static_cast<char>('0' + ((byte >> 3U) & 7U));
      out += static_cast<char>('0' + (byte & 7U));
    }
    previous = c;
  }
  out += '"';
  return out;
}

}  // namespace strata::generator
