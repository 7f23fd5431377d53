// The nesting estimate: one pass over the text with the SQL scanner's rules for comments and
// quotes.
#include "check/nesting.hpp"

#include <array>
#include <cctype>
#include <vector>

#include "check/sql_lexing.hpp"

namespace strata::generator {
namespace {

bool is_word_char(char c) noexcept {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool is_operator_char(char c) noexcept {
  return std::string_view{"+-*/<>=~!@#%^&|`?:"}.find(c) != std::string_view::npos;
}

bool equals_lowercase(std::string_view word, std::string_view lower) noexcept {
  if (word.size() != lower.size())
    return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(word[i])) != lower[i])
      return false;
  }
  return true;
}

bool is_set_operation(std::string_view word) noexcept {
  return equals_lowercase(word, "union") || equals_lowercase(word, "intersect") ||
         equals_lowercase(word, "except");
}

// Keywords that end an operand: what follows them is a sibling, not a deeper operand.
bool ends_operand(std::string_view word) noexcept {
  static constexpr std::array<std::string_view, 21> words = {
      "and",    "or",   "when",  "then",   "else",  "end",       "case",
      "select", "from", "where", "having", "group", "order",     "limit",
      "offset", "on",   "join",  "values", "set",   "returning", "as"};
  for (const std::string_view keyword : words) {
    if (equals_lowercase(word, keyword))
      return true;
  }
  return false;
}

class Estimator {
 public:
  explicit Estimator(std::string_view text) : m_text{text} {}

  Nesting run() {
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == '-' && peek(1) == '-') {
        const std::size_t end = m_text.find('\n', m_pos);
        m_pos = end == std::string_view::npos ? m_text.size() : end + 1;
      } else if (c == '/' && peek(1) == '*') {
        m_pos = end_of_block_comment(m_text, m_pos);
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++m_pos;
      } else {
        token(c);
      }
    }
    return m_deepest;
  }

 private:
  struct Level {
    std::size_t operators = 0;   // in the current operand chain
    std::size_t operations = 0;  // set operations so far
  };

  [[nodiscard]] char peek(std::size_t ahead) const noexcept {
    return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0';
  }

  void token(char c) {
    if (m_statement_done) {
      m_statement = m_pos;
      m_statement_done = false;
    }
    if (c == '\'' || c == '"') {
      m_pos = end_of_quoted(m_text, m_pos, false);
    } else if (c == '$' && end_of_dollar_quote(m_text, m_pos) != m_pos) {
      m_pos = end_of_dollar_quote(m_text, m_pos);
    } else if (c == '(' || c == '[') {
      ++m_pos;
      m_levels.emplace_back();
      note();
    } else if (c == ')' || c == ']') {
      ++m_pos;
      if (m_levels.size() > 1) {
        m_sum -= m_levels.back().operators + m_levels.back().operations;
        m_levels.pop_back();
      }
    } else if (c == ',') {
      ++m_pos;
      end_operand();
    } else if (c == ';') {
      ++m_pos;
      if (m_levels.size() == 1) {
        m_levels.back() = Level{};
        m_sum = 0;
        m_statement_done = true;
      }
    } else if (is_operator_char(c)) {
      while (m_pos < m_text.size() && is_operator_char(m_text[m_pos]) &&
             !(m_text[m_pos] == '-' && peek(1) == '-') && !(m_text[m_pos] == '/' && peek(1) == '*'))
        ++m_pos;
      ++m_levels.back().operators;
      ++m_sum;
      note();
    } else if (is_word_char(c)) {
      word();
    } else {
      ++m_pos;
    }
  }

  void word() {
    const std::size_t begin = m_pos;
    while (m_pos < m_text.size() && (is_word_char(m_text[m_pos]) || m_text[m_pos] == '.'))
      ++m_pos;
    const std::string_view word = m_text.substr(begin, m_pos - begin);
    if (peek(0) == '\'') {  // E'…' escapes with backslashes; B'…', X'…', U&'…' do not
      m_pos = end_of_quoted(m_text, m_pos, word == "E" || word == "e");
    } else if (is_set_operation(word)) {
      end_operand();
      ++m_levels.back().operations;
      ++m_sum;
      note();
    } else if (ends_operand(word)) {
      end_operand();
    }
  }

  void end_operand() noexcept {
    m_sum -= m_levels.back().operators;
    m_levels.back().operators = 0;
  }

  void note() noexcept {
    const std::size_t depth = m_levels.size() - 1 + m_sum;
    if (depth > m_deepest.depth)
      m_deepest = Nesting{depth, m_statement};
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
  std::vector<Level> m_levels = std::vector<Level>(1);
  std::size_t m_sum = 0;  // operators and operations of every open level
  std::size_t m_statement = 0;
  bool m_statement_done = true;
  Nesting m_deepest;
};

}  // namespace

Nesting estimate_nesting(std::string_view sql) {
  return Estimator{sql}.run();
}

}  // namespace strata::generator
