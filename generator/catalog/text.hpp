// White space as SQL and the file forms see it, shared by the marker reader, the statement checks
// and the lint comments, so "blank" means one thing everywhere in the compiler.
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

// `text` without leading and trailing white space (blanks and newlines).
[[nodiscard]] constexpr std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

}  // namespace strata::generator
