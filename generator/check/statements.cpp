// Statement splitting, parsing and syntax-error reporting for one section.
#include "check/statements.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "catalog/diagnostics.hpp"
#include "catalog/text.hpp"
#include "check/large_inserts.hpp"
#include "check/pg_query.hpp"
#include "check/sql_lexing.hpp"

namespace strata::generator {
namespace {

const json::Value null_node{};

// Whether the line directly above the one holding `token` is `-- strata:unchecked`.
bool marked_unchecked(std::string_view text, std::size_t token) noexcept {
  const std::size_t line_start = text.rfind('\n', token == 0 ? 0 : token - 1);
  if (line_start == std::string_view::npos || line_start == 0)
    return false;
  const std::size_t previous = text.rfind('\n', line_start - 1);
  const std::size_t begin = previous == std::string_view::npos ? 0 : previous + 1;
  return trim(text.substr(begin, line_start - begin)) == "-- strata:unchecked";
}

// Statement extents by `;` outside quotes, comments and parentheses. Only used to find the
// extent of a statement the grammar rejected: libpg_query's scanner split drops statements that
// start with an unknown word (`SELEC 1;`), and its parser split fails with the grammar.
std::vector<Piece> split_lexically(std::string_view text) {
  std::vector<Piece> pieces;
  std::size_t start = 0;
  int depth = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (const std::size_t past = skip_quoted(text, i); past != i) {
      i = past;
      continue;
    }
    const char c = text[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      depth = std::max(depth - 1, 0);
    } else if (c == ';' && depth == 0) {
      pieces.push_back(Piece{start, i - start});
      start = i + 1;
    }
    ++i;
  }
  if (skip_trivia(text, start) < text.size())
    pieces.push_back(Piece{start, text.size() - start});
  return pieces;
}

class SectionParser {
 public:
  SectionParser(const SectionSource& section, Diagnostics& diagnostics)
      : m_section(section), m_text(section.text()), m_diagnostics(diagnostics) {}

  ParsedSection run() {
    std::size_t pos = 0;
    while (pos < m_text.size()) {
      ParseOutcome outcome = parse_sql(m_text.substr(pos));
      if (outcome.tree) {
        add_statements(std::move(*outcome.tree), pos);
        break;
      }
      pos = recover(pos, *outcome.error);
    }
    return std::move(m_result);
  }

 private:
  // Records the statements of a parse tree of m_text[base, …).
  void add_statements(json::Document tree, std::size_t base) {
    const json::Document& document = m_result.documents.emplace_back(std::move(tree));
    for (const json::Value& entry : document["stmts"].items()) {
      const auto location = base + static_cast<std::size_t>(entry["stmt_location"].integer());
      auto length = static_cast<std::size_t>(entry["stmt_len"].integer());
      if (length == 0) {  // the last statement, without a `;`: up to its last token
        length = m_text.size() - location;
        while (length > 0 && is_space(m_text[location + length - 1])) {
          --length;
        }
      }
      add_statement(location, location + length, &entry["stmt"]);
    }
  }

  // Adds the statement spanning [begin, end) (end excludes the `;`).
  void add_statement(std::size_t begin, std::size_t end, const json::Value* tree) {
    ParsedStatement statement;
    statement.offset = std::min(skip_trivia(m_text, begin), end);
    statement.length = end - statement.offset;
    statement.end = end < m_text.size() && m_text[end] == ';' ? end + 1 : end;
    statement.tree = tree;
    if (marked_unchecked(m_text, statement.offset)) {
      statement.tree = nullptr;
      statement.unchecked = true;
      m_diagnostics.add(*m_section.file, m_section.offset + statement.offset, "strata-N201",
                        "statement not checked against the PostgreSQL 15 grammar "
                        "(-- strata:unchecked)");
    }
    m_result.statements.push_back(statement);
  }

  // After a syntax error in m_text[pos, …): reports it, keeps the statements before it, and
  // returns where parsing resumes.
  std::size_t recover(std::size_t pos, const ParseError& error) {
    const std::string_view rest = m_text.substr(pos);
    const std::size_t error_at =
        pos + (error.cursor > 0 ? byte_offset_of_character(rest, error.cursor - 1) : 0);
    const auto pieces = split_lexically(rest);
    if (pieces.empty()) {
      report(error, error_at, false);
      m_result.complete = false;
      return m_text.size();
    }
    // The piece holding the error; an error at the end of input belongs to the last piece.
    auto piece = std::find_if(pieces.begin(), pieces.end(), [&](const Piece& p) {
      return error_at < pos + p.offset + p.length + 1;
    });
    if (piece == pieces.end()) {
      piece = std::prev(pieces.end());
    }
    const std::size_t piece_begin = pos + piece->offset;
    const std::size_t raw_end = piece_begin + piece->length;
    std::size_t piece_end = raw_end;
    while (piece_end > piece_begin && is_space(m_text[piece_end - 1])) {
      --piece_end;
    }
    if (piece_begin > pos) {
      ParseOutcome before = parse_sql(m_text.substr(pos, piece_begin - pos));
      if (before.tree) {
        add_statements(std::move(*before.tree), pos);
      } else if (error.message == too_deep_message) {
        // A statement before the too deep one has an error of its own: that one first; the
        // too deep statement is found again when parsing resumes after it.
        return recover(pos, *before.error);
      } else {
        // The scanner cut a statement the grammar would not (BEGIN ATOMIC): report the first
        // error where the grammar saw it and give up on the rest of this section.
        report(*before.error,
               pos + (before.error->cursor > 0
                          ? byte_offset_of_character(rest, before.error->cursor - 1)
                          : 0),
               false);
        m_result.complete = false;
        return m_text.size();
      }
    }
    const std::size_t token = skip_trivia(m_text, piece_begin);
    if (marked_unchecked(m_text, token)) {
      add_statement(piece_begin, piece_end, nullptr);
    } else {
      report(error, error_at, true, m_text.substr(piece_begin, piece_end - piece_begin));
      m_result.complete = false;
    }
    return raw_end < m_text.size() && m_text[raw_end] == ';' ? raw_end + 1 : raw_end;
  }

 public:
  // Reports a syntax error at byte `at` of the section, in `statement`.
  void report_in(const ParseError& error, std::size_t at, std::string_view statement) {
    report(error, at, true, statement);
  }

 private:
  void report(const ParseError& error, std::size_t at, bool can_escape,
              std::string_view statement = {}) {
    at = std::min(at, m_text.size());
    const std::string_view here = m_text.substr(at);
    const std::size_t file_offset = m_section.offset + at;
    if (here.starts_with("\\")) {
      std::size_t word_end = 1;
      while (word_end < here.size() && !is_space(here[word_end]))
        ++word_end;
      m_diagnostics.add(
          *m_section.file, file_offset, "strata-E202",
          "psql meta-command `" + std::string{here.substr(0, word_end)} + "` is not SQL",
          "meta-commands (\\set, \\i, \\connect, \\copy, …) are instructions to "
          "the psql client and never reach the server; write the SQL they stand "
          "for instead");
      return;
    }
    if (follows_copy_from_stdin()) {
      m_diagnostics.add(*m_section.file, file_offset, "strata-E202",
                        "COPY … FROM stdin data is psql input, not SQL",
                        "psql sends the lines after COPY … FROM stdin (up to \\.) as copy data; "
                        "strata sends SQL only: use INSERT … VALUES, or COPY from a server-side "
                        "file");
      return;
    }
    if (here.starts_with(":") && here.size() > 1 &&
        (here[1] == '\'' || here[1] == '"' || here[1] == '_' ||
         std::isalpha(static_cast<unsigned char>(here[1])) != 0)) {
      m_diagnostics.add(*m_section.file, file_offset, "strata-E202",
                        "psql variable `" +
                            std::string{here.substr(0, here.find_first_of(" \t\n;,)"))} +
                            "` is not SQL",
                        "psql substitutes :name and :'name' before sending; strata sends the "
                        "SQL as written, so write the value itself");
      return;
    }
    // Template syntax: at the error, or anywhere in the failing statement (a placeholder inside
    // a quoted identifier fails later, at whatever follows it).
    std::size_t template_at = std::string_view::npos;
    if (here.starts_with("{{") || here.starts_with("{%") || here.starts_with("${") ||
        (here.starts_with("{") && at > 0 && m_text[at - 1] == '{')) {
      template_at = at;
    } else if (const auto found = statement.find("{{");
               found != std::string_view::npos &&
               statement.find("}}", found) != std::string_view::npos) {
      template_at = static_cast<std::size_t>(statement.data() - m_text.data()) + found;
    }
    if (template_at != std::string_view::npos) {
      m_diagnostics.add(*m_section.file, m_section.offset + template_at, "strata-E203",
                        "template syntax is not SQL",
                        "this looks like a template placeholder ({{ … }}, ${…}); strata compiles "
                        "SQL as written, so expand the template first or write the value");
      return;
    }
    std::string hint;
    if (can_escape) {
      // Only a grammar error can be newer syntax; other parser errors (an unterminated quote, a
      // too deep statement) are not.
      hint = error.message.starts_with("syntax error")
                 ? "this is not PostgreSQL 15 grammar (it may be a newer PostgreSQL's syntax). "
                 : "";
      hint += unchecked_hint;
    }
    m_diagnostics.add(*m_section.file, file_offset, "strata-E201", error.message, std::move(hint));
  }

  // Whether the last statement parsed is COPY … FROM stdin (its data lines follow it in psql
  // scripts and fail to parse as SQL).
  [[nodiscard]] bool follows_copy_from_stdin() const noexcept {
    if (m_result.statements.empty()) {
      return false;
    }
    const ParsedStatement& last = m_result.statements.back();
    const json::Value& node = last.node();
    return last.node_type() == "CopyStmt" && node["is_from"].boolean() &&
           !node.contains("filename") && !node["is_program"].boolean();
  }

  const SectionSource& m_section;
  std::string_view m_text;
  Diagnostics& m_diagnostics;
  ParsedSection m_result;
};

}  // namespace

namespace {

// A large section: its large INSERT … VALUES statements are checked a chunk of rows at a time
// (large_inserts.hpp), the text between them as usual. Statements are found by the lexical split,
// which does not know BEGIN ATOMIC bodies: a large INSERT inside one, after another statement of
// the body, would cut the function and fail to parse (the escape is `-- strata:unchecked`).
ParsedSection parse_with_large_inserts(const SectionSource& section, Diagnostics& diagnostics) {
  const std::string_view text = section.text();
  ParsedSection result;
  std::size_t parsed_to = 0;
  const auto parse_up_to = [&](std::size_t end) {
    if (skip_trivia(text.substr(0, end), parsed_to) >= end)
      return;
    SectionSource part = section;
    part.offset += parsed_to;
    part.length = end - parsed_to;
    ParsedSection parsed = SectionParser{part, diagnostics}.run();
    for (ParsedStatement& statement : parsed.statements) {
      statement.offset += parsed_to;
      statement.end += parsed_to;
      result.statements.push_back(statement);
    }
    for (json::Document& document : parsed.documents)
      result.documents.push_back(std::move(document));
    result.complete = result.complete && parsed.complete;
  };
  for (const Piece& piece : split_lexically(text)) {
    const std::size_t begin = skip_trivia(text, piece.offset);
    std::size_t stop = piece.offset + piece.length;
    while (stop > begin && is_space(text[stop - 1]))
      --stop;
    if (stop - begin < large_statement_bytes || marked_unchecked(text, begin))
      continue;
    const std::string_view statement = text.substr(begin, stop - begin);
    const std::optional<ValuesRows> rows = find_values_rows(statement);
    if (!rows)
      continue;
    parse_up_to(piece.offset);
    const std::size_t end = piece.offset + piece.length;
    parsed_to = end < text.size() ? end + 1 : end;  // past the `;`
    LargeInsert insert = parse_large_insert(statement, *rows);
    if (insert.error) {
      SectionParser{section, diagnostics}.report_in(*insert.error, begin + insert.error_at,
                                                    statement);
      result.complete = false;
      continue;
    }
    if (!insert.tree)
      insert.tree = json::Document::parse(R"({"stmts":[{"stmt":{"InsertStmt":{}}}]})");
    const json::Document& document = result.documents.emplace_back(std::move(*insert.tree));
    ParsedStatement parsed;
    parsed.offset = begin;
    parsed.length = stop - begin;
    parsed.end = parsed_to;
    parsed.tree = &document["stmts"].items().front()["stmt"];
    result.statements.push_back(parsed);
  }
  parse_up_to(text.size());
  return result;
}

}  // namespace

const json::Value& ParsedStatement::node() const noexcept {
  return tree != nullptr && !tree->items().empty() ? tree->items().front() : null_node;
}

void explain_locked(std::vector<Diagnostic>& diagnostics) {
  for (Diagnostic& diagnostic : diagnostics) {
    if (const std::size_t at = diagnostic.hint.find(unchecked_hint); at != std::string::npos)
      diagnostic.hint.replace(at, unchecked_hint.size(), locked_unchecked_hint);
  }
}

ParsedSection parse_section(const SectionSource& section, Diagnostics& diagnostics) {
  if (section.length < large_statement_bytes)
    return SectionParser{section, diagnostics}.run();
  return parse_with_large_inserts(section, diagnostics);
}

std::size_t skip_quoted(std::string_view text, std::size_t i) noexcept {
  if (i >= text.size())
    return i;
  const auto skip_to = [&](std::string_view close) {
    const std::size_t end = text.find(close, i);
    return end == std::string_view::npos ? text.size() : end + close.size();
  };
  const char c = text[i];
  if (c == '-' && text.substr(i, 2) == "--")
    return skip_to("\n");
  if (c == '/' && text.substr(i, 2) == "/*")
    return skip_trivia(text, i);
  if (c == '\'' || c == '"') {
    // '' and "" double the quote; E'…' strings may escape it with a backslash.
    const bool backslashes = c == '\'' && i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e');
    ++i;
    while (i < text.size()) {
      if (backslashes && text[i] == '\\') {
        i += 2;
      } else if (text[i] == c) {
        ++i;
        if (i >= text.size() || text[i] != c)
          return i;
        ++i;
      } else {
        ++i;
      }
    }
    return text.size();
  }
  if (c == '$') {
    std::size_t end = i + 1;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_')) {
      ++end;
    }
    const bool tag = end < text.size() && text[end] == '$' &&
                     (end == i + 1 || std::isdigit(static_cast<unsigned char>(text[i + 1])) == 0);
    if (tag) {
      const std::string_view delimiter = text.substr(i, end + 1 - i);
      i = end + 1;
      return skip_to(delimiter);
    }
  }
  return i;
}

std::size_t skip_trivia(std::string_view text, std::size_t offset) noexcept {
  std::size_t i = offset;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
    } else if (text.substr(i, 2) == "--") {
      const std::size_t end = text.find('\n', i);
      i = end == std::string_view::npos ? text.size() : end + 1;
    } else if (text.substr(i, 2) == "/*") {
      i = end_of_block_comment(text, i);
    } else {
      break;
    }
  }
  return i;
}

}  // namespace strata::generator
