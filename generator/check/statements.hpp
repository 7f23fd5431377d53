// Splitting a section into statements and parsing each with the PostgreSQL 15 grammar.
//
// One libpg_query parse of the whole section gives every statement's tree and byte range. When
// it fails, the failing statement is located (a lexical split finds its extent), reported,
// and parsing resumes after it, so one run reports every error of every file. A statement with
// a `-- strata:unchecked` line directly above it is not parse-checked: it is recorded, without a
// tree, with a note.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/diagnostics.hpp"
#include "check/json.hpp"

namespace strata::generator {

class Diagnostics;

// The escape hatch the hint of every rejection by a parser (E201, E204, E205) names, and what it
// costs.
inline constexpr std::string_view unchecked_hint =
    "If PostgreSQL runs the statement as it is, put the line `-- strata:unchecked` directly above "
    "it to skip this check; that edits the migration, so its checksum changes";
// The same for a migration locked in migrations.lock, whose checksum must not change.
inline constexpr std::string_view locked_unchecked_hint =
    "This migration is locked in migrations.lock, so do not edit it: `-- strata:unchecked` "
    "would change its checksum (strata-E501). If it ran on PostgreSQL as released, strata's "
    "check is wrong here: keep the file as it is and report the statement to strata";

// A released migration's diagnostics with the locked form of the escape-hatch hint.
void explain_locked(std::vector<Diagnostic>& diagnostics);

struct ParsedStatement {
  std::size_t offset = 0;  // bytes into the section's text, at the statement's first token
  std::size_t length = 0;  // bytes, excluding the terminating `;`
  std::size_t end = 0;     // bytes, just past the terminating `;` (== offset + length without one)
  const json::Value* tree = nullptr;  // the node under "stmt"; null for an unchecked statement
  bool unchecked = false;

  // The statement's node type ("CreateStmt", "IndexStmt", …) and its fields.
  [[nodiscard]] std::string_view node_type() const noexcept {
    return tree != nullptr && !tree->keys().empty() ? std::string_view{tree->keys().front()}
                                                    : std::string_view{};
  }
  [[nodiscard]] const json::Value& node() const noexcept;
};

struct ParsedSection {
  std::vector<json::Document>
      documents;  // owns the trees the statements point into (moves keep nodes in place)
  std::vector<ParsedStatement> statements;
  bool complete = true;  // false when a syntax error left part of the section unparsed
};

// Parses a section, reporting syntax errors (E201), psql meta-commands and variables (E202) and
// template syntax (E203) at their file:line:col, and unchecked statements as notes (N201).
[[nodiscard]] ParsedSection parse_section(const SectionSource& section, Diagnostics& diagnostics);

// Just past the comment, quoted string, quoted identifier or dollar-quoted string that starts at
// `i` (to the end of `text` when it is not closed); `i` itself when none starts there. A lexical
// approximation of PostgreSQL's scanner, for finding statement and row boundaries.
[[nodiscard]] std::size_t skip_quoted(std::string_view text, std::size_t i) noexcept;

// Offset of the first token at or after `offset`: skips whitespace, `--` and `/* */` comments.
[[nodiscard]] std::size_t skip_trivia(std::string_view text, std::size_t offset) noexcept;

}  // namespace strata::generator
