// PL/pgSQL lexical scan (the SQL scanner's rules for comments, quotes and dollar quotes).
#include "check/plpgsql_tokens.hpp"

#include <cctype>

#include "catalog/text.hpp"
#include "check/sql_lexing.hpp"

namespace strata::generator::plpgsql {
namespace {

bool is_word_start(char c) noexcept {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool is_word_char(char c) noexcept {
  return is_word_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '$';
}

std::string lowercase(std::string_view text) {
  std::string result{text};
  for (char& c : result)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : m_text{text} {}

  std::vector<Token> run() {
    while (skip_trivia()) {
      const std::size_t begin = m_pos;
      const char c = m_text[m_pos];
      if (c == '\'' || ((c == 'E' || c == 'e') && peek(1) == '\'')) {
        quoted_literal(begin, c != '\'');
      } else if (c == '"') {
        quoted_name(begin);
      } else if (c == '$') {
        dollar(begin);
      } else if (is_word_start(c)) {
        while (m_pos < m_text.size() && is_word_char(m_text[m_pos]))
          ++m_pos;
        add(Token::Kind::word, begin, lowercase(m_text.substr(begin, m_pos - begin)));
      } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
        while (m_pos < m_text.size() &&
               (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) != 0 ||
                (m_text[m_pos] == '.' && peek(1) != '.'))) {
          ++m_pos;
        }
        add(Token::Kind::literal, begin, std::string{m_text.substr(begin, m_pos - begin)});
      } else {
        punctuation(begin);
      }
    }
    return std::move(m_tokens);
  }

 private:
  [[nodiscard]] char peek(std::size_t ahead) const noexcept {
    return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0';
  }

  void add(Token::Kind kind, std::size_t begin, std::string text) {
    m_tokens.push_back(Token{kind, begin, m_pos, std::move(text)});
  }

  // Skips white space and comments; false at the end of the text.
  bool skip_trivia() noexcept {
    while (m_pos < m_text.size()) {
      if (is_space(m_text[m_pos])) {
        ++m_pos;
      } else if (m_text[m_pos] == '-' && peek(1) == '-') {
        const std::size_t end = m_text.find('\n', m_pos);
        m_pos = end == std::string_view::npos ? m_text.size() : end + 1;
      } else if (m_text[m_pos] == '/' && peek(1) == '*') {
        m_pos = end_of_block_comment(m_text, m_pos);
      } else {
        return true;
      }
    }
    return false;
  }

  void quoted_literal(std::size_t begin, bool backslashes) {
    m_pos = end_of_quoted(m_text, m_pos + (backslashes ? 1 : 0), backslashes);
    add(Token::Kind::literal, begin, std::string{m_text.substr(begin, m_pos - begin)});
  }

  void quoted_name(std::size_t begin) {
    std::string name;
    ++m_pos;
    while (m_pos < m_text.size()) {
      if (m_text[m_pos] == '"') {
        ++m_pos;
        if (peek(0) != '"')
          break;
      }
      name += m_text[m_pos++];
    }
    add(Token::Kind::quoted, begin, std::move(name));
  }

  // `$1` (a parameter), `$tag$…$tag$` (a literal), or a lone `$`.
  void dollar(std::size_t begin) {
    std::size_t end = m_pos + 1;
    if (std::isdigit(static_cast<unsigned char>(peek(1))) != 0) {
      while (end < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[end])) != 0)
        ++end;
      m_pos = end;
      add(Token::Kind::parameter, begin, std::string{m_text.substr(begin, end - begin)});
      return;
    }
    if (const std::size_t quoted_end = end_of_dollar_quote(m_text, m_pos); quoted_end != m_pos) {
      m_pos = quoted_end;
      add(Token::Kind::literal, begin, std::string{m_text.substr(begin, m_pos - begin)});
      return;
    }
    ++m_pos;
    add(Token::Kind::punctuation, begin, "$");
  }

  void punctuation(std::size_t begin) {
    static constexpr std::string_view pairs[] = {":=", "::", "..", "<<", ">>"};
    for (const std::string_view pair : pairs) {
      if (m_text.substr(m_pos, 2) == pair) {
        m_pos += 2;
        add(Token::Kind::punctuation, begin, std::string{pair});
        return;
      }
    }
    ++m_pos;
    add(Token::Kind::punctuation, begin, std::string{m_text.substr(begin, 1)});
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
  std::vector<Token> m_tokens;
};

}  // namespace

std::vector<Token> tokenize(std::string_view body) {
  return Scanner{body}.run();
}

}  // namespace strata::generator::plpgsql
