// A lexical view of a PL/pgSQL body: words, quoted names, literals and punctuation, with comments
// and white space skipped. Enough to find statements and names; the real grammar stays
// libpg_query's.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::generator::plpgsql {

struct Token {
  enum class Kind : unsigned char { word, quoted, parameter, literal, punctuation };
  Kind kind = Kind::punctuation;
  std::size_t begin = 0;  // bytes into the body
  std::size_t end = 0;
  std::string text;  // words lowercased, quoted names unquoted, everything else verbatim

  [[nodiscard]] bool is(std::string_view word) const noexcept {
    return kind == Kind::word && text == word;
  }
  [[nodiscard]] bool is_punctuation(std::string_view symbol) const noexcept {
    return kind == Kind::punctuation && text == symbol;
  }
  // A name a variable can have: a word, a "quoted" name or a $n parameter.
  [[nodiscard]] bool is_name() const noexcept {
    return kind == Kind::word || kind == Kind::quoted || kind == Kind::parameter;
  }
};

// The tokens of a body, in order. Never fails: an unterminated literal or comment runs to the end.
[[nodiscard]] std::vector<Token> tokenize(std::string_view body);

}  // namespace strata::generator::plpgsql
