// The lint rule registry: every rule's stable id, what it catches, and the safe alternative.
//
// Lint rules flag migrations that would lock or break a live database. They are warnings (one is
// a note), errors with --warnings-as-errors / WARNINGS_AS_ERRORS, and a comment directly above a
// statement silences one rule for it: `-- strata:allow <rule-id> <reason>`. The ids are a public
// contract (users write them in comments and CI configurations): never renumber or rename one.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string_view>

#include "catalog/diagnostics.hpp"

namespace strata::generator::lint {

// One value per rule; the registry is indexed by it.
enum class Rule : std::uint8_t {
  add_column_not_null,
  add_column_rewrite,
  create_index_not_concurrent,
  reindex_not_concurrent,
  alter_column_type,
  drop_column,
  drop_table,
  rename_column,
  rename_table,
  foreign_key_not_valid,
  check_not_valid,
  unique_without_index,
  set_not_null,
  vacuum_full,
  cluster,
  session_setting,
  missing_down,
};

struct RuleInfo {
  Rule rule;
  std::string_view id;       // "strata-lint-…", stable
  Severity severity;         // warning, or note for advice that is not a hazard
  std::string_view summary;  // one line: what happens on a live database
  std::string_view hint;     // the safe alternative
};

// Every rule, in the order of the enum (the order `strata check --list-rules` prints).
[[nodiscard]] std::span<const RuleInfo> all_rules() noexcept;

// The registry entry of a rule.
[[nodiscard]] const RuleInfo& info(Rule rule) noexcept;

// The rule with this id, or null.
[[nodiscard]] const RuleInfo* find_rule(std::string_view id) noexcept;

// `strata check --list-rules`: one line per rule, `<id>  <severity>  <summary>`.
void print_rules(std::ostream& out);

}  // namespace strata::generator::lint
