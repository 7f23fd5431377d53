// Text as the compiler sees it, shared by the marker reader, the statement checks, the lint
// comments and the diagnostics, so "blank" and "character" mean one thing everywhere.
#pragma once

#include <string_view>

namespace strata::generator {

// Blank within a line: space, tab, and the carriage return, form feed and vertical tab that a
// line may still end with or hold.
[[nodiscard]] constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// White space between SQL tokens: blanks and newlines.
[[nodiscard]] constexpr bool is_space(char c) noexcept {
  return c == '\n' || is_blank(c);
}

// Whether a byte continues a UTF-8 character (10xxxxxx) rather than starting one: columns count
// the bytes that do not.
[[nodiscard]] constexpr bool is_utf8_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

// `text` without leading and trailing white space (blanks and newlines).
[[nodiscard]] constexpr std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

}  // namespace strata::generator
