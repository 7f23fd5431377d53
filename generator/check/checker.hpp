// The check stage: runs every rule over every section of a catalog and keeps what the compiler
// needs to build the table (statement ranges, lifted BEGIN/COMMIT, routines' derived DROPs).
//
// Rules come in two kinds, each in its own file: per-section rules (parse, function bodies,
// transactions, routine restrictions, and the lint rules of lint/ over versioned migrations' up
// sections) and set-level rules (duplicate routine definitions, the lock file of lock_file.hpp).
// check_catalog() calls them in order.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <strata/migration_set.hpp>

#include "catalog/catalog.hpp"
#include "check/lock_file.hpp"
#include "check/statements.hpp"
#include "check/transactions.hpp"

namespace strata::generator {

class Diagnostics;
struct SourceOptions;

struct CheckedSection {
  ParsedSection parsed;
  std::vector<BlankRange> blanked;  // lifted BEGIN/COMMIT, replaced by spaces when emitted

  // The SQL these checks approved, as it is sent: `section`'s text with the lifted BEGIN/COMMIT
  // replaced by spaces (newlines kept, so every position still maps to the file).
  [[nodiscard]] std::string approved_sql(const SectionSource& section) const;
};

struct CheckedMigration {
  CheckedSection up;
  CheckedSection down;
  // Routines: DROP … IF EXISTS for each object defined, in reverse order, one per line, and the
  // statements of that text (line = the line of the defining statement in the routine file).
  std::string derived_down;
  std::vector<strata::Statement> derived_statements;
};

// One entry per catalog.migrations entry, in the same order.
[[nodiscard]] std::vector<CheckedMigration> check_catalog(const Catalog& catalog,
                                                          const SourceOptions& options,
                                                          Diagnostics& diagnostics);

// The per-migration checks of the migrations at `positions` of catalog.migrations (ascending),
// one entry per position, diagnostics in catalog order. The lock file's rules are not among them
// (check_lock_file); `released` names the locked versions, which are not linted. Routines are
// checked against each other (E403) only among those given. Throws OutOfMemory naming the file
// whose checks ran out of memory.
[[nodiscard]] std::vector<CheckedMigration> check_migrations(const Catalog& catalog,
                                                             std::span<const std::size_t> positions,
                                                             const LockedVersions& released,
                                                             Diagnostics& diagnostics);

}  // namespace strata::generator
