// Where SQL's lexical pieces that may hold a `;`, a quote or a comment marker end, with the SQL
// scanner's rules; shared by every scan strata makes without the parser (statement splitting,
// the nesting estimate, the PL/pgSQL tokens). Each takes the offset of the piece's first
// character and returns the offset just past it, or the text's size when it is not closed.
#pragma once

#include <cstddef>
#include <string_view>

namespace strata::generator {

// `/* … */`, at the `/`. Block comments nest.
[[nodiscard]] constexpr std::size_t end_of_block_comment(std::string_view text,
                                                         std::size_t at) noexcept {
  int depth = 0;
  do {
    if (text.substr(at, 2) == "/*") {
      ++depth, at += 2;
    } else if (text.substr(at, 2) == "*/") {
      --depth, at += 2;
    } else {
      ++at;
    }
  } while (depth > 0 && at < text.size());
  return at < text.size() ? at : text.size();
}

// '…' or "…", at the opening quote: a doubled quote stands for one; with `backslashes` (E'…'),
// a backslash escapes the next character.
[[nodiscard]] constexpr std::size_t end_of_quoted(std::string_view text, std::size_t at,
                                                  bool backslashes) noexcept {
  const char quote = text[at++];
  while (at < text.size()) {
    if (backslashes && text[at] == '\\') {
      at += 2;
    } else if (text[at] == quote) {
      if (at + 1 >= text.size() || text[at + 1] != quote)
        return at + 1;
      at += 2;
    } else {
      ++at;
    }
  }
  return text.size();
}

// $tag$…$tag$ (or $$…$$), at the first `$`; `at` itself when no dollar quote starts there (a
// parameter like $1, or a lone $).
[[nodiscard]] constexpr std::size_t end_of_dollar_quote(std::string_view text,
                                                        std::size_t at) noexcept {
  const auto tag_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  if (at + 1 < text.size() && text[at + 1] >= '0' && text[at + 1] <= '9')
    return at;
  std::size_t end = at + 1;
  while (end < text.size() && tag_char(text[end]))
    ++end;
  if (end >= text.size() || text[end] != '$')
    return at;
  const std::string_view delimiter = text.substr(at, end + 1 - at);
  const std::size_t close = text.find(delimiter, end + 1);
  return close == std::string_view::npos ? text.size() : close + delimiter.size();
}

}  // namespace strata::generator
