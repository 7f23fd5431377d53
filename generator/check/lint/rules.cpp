// The rule table. Summaries say what the statement does to a live database; hints give the
// pattern that avoids it (the squawk and Atlas rule sets, research/peers.md §4).
#include "check/lint/rules.hpp"

#include <algorithm>
#include <array>
#include <ostream>

namespace strata::generator::lint {
namespace {

constexpr std::array<RuleInfo, 17> rules{{
    {Rule::add_column_not_null, "strata-lint-add-column-not-null", Severity::warning,
     "adding a NOT NULL column without a default fails on a table that has rows and breaks "
     "inserts from the running application",
     "add the column as nullable (or with a constant DEFAULT, which PostgreSQL 11+ adds without "
     "rewriting the table), backfill it, then make it NOT NULL"},
    {Rule::add_column_rewrite, "strata-lint-add-column-rewrite", Severity::warning,
     "adding a column with a volatile default (serial, identity, gen_random_uuid(), random(), "
     "clock_timestamp(), …) or a stored generated column rewrites the whole table under an "
     "ACCESS EXCLUSIVE lock",
     "add the column without a default (a constant or now() is fine: PostgreSQL 11+ stores it "
     "without a rewrite), then SET DEFAULT for new rows and backfill existing rows in batches"},
    {Rule::create_index_not_concurrent, "strata-lint-create-index-not-concurrent",
     Severity::warning,
     "CREATE INDEX without CONCURRENTLY blocks every write to the table while the index builds",
     "use CREATE INDEX CONCURRENTLY in a migration that runs outside a transaction (dbmate "
     "`-- migrate:up transaction:false`, a `-- no-transaction` first line, or Diesel's "
     "metadata.toml)"},
    {Rule::reindex_not_concurrent, "strata-lint-reindex-not-concurrent", Severity::warning,
     "REINDEX without CONCURRENTLY blocks writes to the table, and reads that use the index, "
     "while it rebuilds",
     "use REINDEX … CONCURRENTLY in a migration that runs outside a transaction"},
    {Rule::alter_column_type, "strata-lint-alter-column-type", Severity::warning,
     "changing a column's type rewrites the table and its indexes under an ACCESS EXCLUSIVE lock "
     "(unless the change is binary compatible, such as varchar(n) to text)",
     "add a column of the new type, backfill it in batches, move readers and writers to it, then "
     "drop the old column"},
    {Rule::drop_column, "strata-lint-drop-column", Severity::warning,
     "dropping a column deletes its data and breaks code that still reads or writes it",
     "first release code that no longer uses the column; then drop it and record why with "
     "`-- strata:allow strata-lint-drop-column <reason>`"},
    {Rule::drop_table, "strata-lint-drop-table", Severity::warning,
     "dropping a table deletes its data and breaks code that still uses it",
     "first release code that no longer uses the table; then drop it and record why with "
     "`-- strata:allow strata-lint-drop-table <reason>`"},
    {Rule::rename_column, "strata-lint-rename-column", Severity::warning,
     "renaming a column breaks the application version still running during a rolling deploy",
     "add the new column, write to both, backfill, move readers to it, then drop the old one"},
    {Rule::rename_table, "strata-lint-rename-table", Severity::warning,
     "renaming a table breaks the application version still running during a rolling deploy",
     "create the new table (or a view under the new name), move readers and writers, then drop "
     "the old name"},
    {Rule::foreign_key_not_valid, "strata-lint-foreign-key-not-valid", Severity::warning,
     "adding a FOREIGN KEY scans the whole table while it locks both tables against writes",
     "ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT in a "
     "later statement (it takes a lock that allows writes)"},
    {Rule::check_not_valid, "strata-lint-check-not-valid", Severity::warning,
     "adding a CHECK constraint scans the whole table under an ACCESS EXCLUSIVE lock",
     "ADD CONSTRAINT … CHECK (…) NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT in a later "
     "statement (it takes a lock that allows reads and writes)"},
    {Rule::unique_without_index, "strata-lint-unique-without-index", Severity::warning,
     "adding a UNIQUE or PRIMARY KEY constraint builds its index under an ACCESS EXCLUSIVE lock",
     "CREATE UNIQUE INDEX CONCURRENTLY first (in a migration outside a transaction), then ADD "
     "CONSTRAINT … UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)"},
    {Rule::set_not_null, "strata-lint-set-not-null", Severity::warning,
     "SET NOT NULL on an existing column scans the whole table under an ACCESS EXCLUSIVE lock",
     "ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL "
     "(PostgreSQL 12+ uses the valid CHECK and skips the scan) and drop the CHECK"},
    {Rule::vacuum_full, "strata-lint-vacuum-full", Severity::warning,
     "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes",
     "run pg_repack (or pg_squeeze) outside the migration, or a plain VACUUM"},
    {Rule::cluster, "strata-lint-cluster", Severity::warning,
     "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes",
     "run pg_repack (it can reorder by an index) outside the migration"},
    {Rule::session_setting, "strata-lint-session-setting", Severity::warning,
     "SET without LOCAL (or set_config(…, false)) changes the session, so the setting leaks into "
     "the migrations and history queries that follow on the same connection",
     "use SET LOCAL (or set_config(…, true)), which ends with the migration's transaction; in a "
     "migration that runs outside a transaction, RESET the setting at its end"},
    {Rule::missing_down, "strata-lint-missing-down", Severity::note,
     "the up section changes the schema but the migration has no down section (or an empty one), "
     "so it cannot be rolled back",
     "add a down section that undoes the up (dbmate `-- migrate:down`, a .down.sql file, "
     "down.sql, a Flyway U file); if it cannot be undone, say so with "
     "`-- strata:allow strata-lint-missing-down <reason>`"},
}};

// The table is indexed by Rule: keep its entries in the enum's order.
constexpr bool in_enum_order() noexcept {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (static_cast<std::size_t>(rules[i].rule) != i)
      return false;
  }
  return true;
}
static_assert(in_enum_order(), "lint rules must be listed in the order of enum Rule");

}  // namespace

std::span<const RuleInfo> all_rules() noexcept {
  return rules;
}

const RuleInfo& info(Rule rule) noexcept {
  return rules[static_cast<std::size_t>(rule)];
}

const RuleInfo* find_rule(std::string_view id) noexcept {
  const auto found =
      std::find_if(rules.begin(), rules.end(), [id](const RuleInfo& r) { return r.id == id; });
  return found == rules.end() ? nullptr : &*found;
}

void print_rules(std::ostream& out) {
  std::size_t width = 0;
  for (const RuleInfo& rule : rules)
    width = std::max(width, rule.id.size());
  for (const RuleInfo& rule : rules) {
    out << rule.id << std::string(width - rule.id.size() + 2, ' ')
        << (rule.severity == Severity::note ? "note     " : "warning  ") << rule.summary << '\n';
  }
}

}  // namespace strata::generator::lint
