// INSERT … VALUES syntax-checked a chunk of rows at a time.
#include "check/large_inserts.hpp"

#include <cctype>
#include <string>

#include "catalog/source_file.hpp"
#include "check/statements.hpp"

namespace strata::generator {
namespace {

// Rows per chunk are cut at this many bytes: the parser's memory for a chunk stays a few MB.
constexpr std::size_t chunk_bytes = std::size_t{256} * 1024;

bool is_word_char(char c) noexcept {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Whether the word at `i` is `word` (ASCII, any case) and not part of a longer word.
bool word_at(std::string_view text, std::size_t i, std::string_view word) noexcept {
  if (text.size() - i < word.size() || (i > 0 && is_word_char(text[i - 1])))
    return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (std::toupper(static_cast<unsigned char>(text[i + k])) != word[k])
      return false;
  }
  return i + word.size() == text.size() || !is_word_char(text[i + word.size()]);
}

// Just past the `)` that closes the `(` at `open`; npos when it is not closed.
std::size_t row_end(std::string_view text, std::size_t open) noexcept {
  int depth = 0;
  std::size_t i = open;
  while (i < text.size()) {
    if (const std::size_t past = skip_quoted(text, i); past != i) {
      i = past;
      continue;
    }
    if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')' && --depth == 0) {
      return i + 1;
    }
    ++i;
  }
  return std::string_view::npos;
}

// The `(` of the row after the one ending at `end`, or npos when the list ends there.
std::size_t next_row(std::string_view text, std::size_t end) noexcept {
  const std::size_t comma = skip_trivia(text, end);
  if (comma >= text.size() || text[comma] != ',')
    return std::string_view::npos;
  const std::size_t open = skip_trivia(text, comma + 1);
  return open < text.size() && text[open] == '(' ? open : std::string_view::npos;
}

}  // namespace

std::optional<ValuesRows> find_values_rows(std::string_view statement) {
  const std::size_t first = skip_trivia(statement, 0);
  if (first >= statement.size() || !word_at(statement, first, "INSERT"))
    return std::nullopt;
  int depth = 0;
  std::size_t i = first;
  while (i < statement.size()) {
    if (const std::size_t past = skip_quoted(statement, i); past != i) {
      i = past;
      continue;
    }
    const char c = statement[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && (c == 'v' || c == 'V') && word_at(statement, i, "VALUES")) {
      break;
    }
    ++i;
  }
  if (i >= statement.size())
    return std::nullopt;
  ValuesRows rows;
  rows.rows_begin = skip_trivia(statement, i + 6);
  if (rows.rows_begin >= statement.size() || statement[rows.rows_begin] != '(')
    return std::nullopt;
  rows.first_row_end = row_end(statement, rows.rows_begin);
  if (rows.first_row_end == std::string_view::npos)
    return std::nullopt;
  rows.rows_end = rows.first_row_end;
  for (std::size_t open = next_row(statement, rows.rows_end); open != std::string_view::npos;
       open = next_row(statement, rows.rows_end)) {
    const std::size_t end = row_end(statement, open);
    if (end == std::string_view::npos)
      break;
    rows.rows_end = end;
  }
  return rows;
}

LargeInsert parse_large_insert(std::string_view statement, const ValuesRows& rows) {
  LargeInsert result;
  const std::string_view prefix = statement.substr(0, rows.rows_begin);
  const std::string_view tail = statement.substr(rows.rows_end);
  std::string chunk;
  std::size_t begin = rows.rows_begin;
  while (begin < rows.rows_end) {
    // Whole rows up to chunk_bytes (at least one).
    std::size_t end = row_end(statement, begin);
    for (std::size_t open = next_row(statement, end);
         open != std::string_view::npos && open < rows.rows_end && end - begin < chunk_bytes;
         open = next_row(statement, end)) {
      end = row_end(statement, open);
    }
    const bool last = end >= rows.rows_end;
    const std::string_view body = statement.substr(begin, end - begin);
    chunk.assign(prefix).append(body).append(last ? tail : std::string_view{});
    if (auto error = check_syntax(chunk)) {
      // Back to the statement's bytes: the prefix and the rows are copied as they are.
      const std::size_t at =
          error->cursor > 0 ? byte_offset_of_character(chunk, error->cursor - 1) : chunk.size();
      result.error_at = at < prefix.size() ? at
                        : at < prefix.size() + body.size()
                            ? begin + (at - prefix.size())
                            : end + (at - prefix.size() - body.size());
      result.error = std::move(error);
      return result;
    }
    begin = last ? rows.rows_end : next_row(statement, end);
  }
  chunk.assign(prefix)
      .append(statement.substr(rows.rows_begin, rows.first_row_end - rows.rows_begin))
      .append(tail);
  // Null when even that fails to parse: the statement is valid, its checks then see its type.
  result.tree = parse_sql(chunk).tree;
  return result;
}

}  // namespace strata::generator
