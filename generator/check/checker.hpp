// The check stage: runs every rule over every section of a catalog and keeps what the compiler
// needs to build the table (statement ranges, lifted BEGIN/COMMIT, routines' derived DROPs).
//
// Rules come in two kinds, each in its own file: per-section rules (parse, function bodies,
// transactions, routine restrictions, and the lint rules of lint/ over versioned migrations' up
// sections) and set-level rules (duplicate routine definitions, the lock file of lock_file.hpp).
// check_catalog() calls them in order.
#pragma once

#include <string>
#include <vector>

#include <strata/migration_set.hpp>

#include "catalog/catalog.hpp"
#include "check/statements.hpp"
#include "check/transactions.hpp"

namespace strata::generator {

class Diagnostics;
struct SourceOptions;

struct CheckedSection {
  ParsedSection parsed;
  std::vector<BlankRange> blanked;  // lifted BEGIN/COMMIT, replaced by spaces when emitted
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

}  // namespace strata::generator
