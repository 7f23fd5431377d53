// Transaction rules. A migration that runs in strata's transaction may not open, commit or roll
// back one itself, nor hold statements PostgreSQL refuses inside a transaction block. The
// golang-migrate habit — a file whose first statement is BEGIN and last is COMMIT — keeps its
// meaning: that transaction is lifted into strata's own.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
#include "check/statements.hpp"

namespace strata::generator {

class Diagnostics;

// A byte range [first, second) of a section's text to replace by spaces in the emitted SQL.
using BlankRange = std::pair<std::size_t, std::size_t>;

// Checks one section. For a lifted BEGIN … COMMIT, removes both statements from
// `parsed.statements`, returns their ranges to blank, and adds a note (N301). Reports
// transaction control (E301) and statements that cannot run in a transaction block (E302) in a
// section that runs in a transaction, and a transaction left open (W301) in one that does not.
// Statements marked `-- strata:unchecked` are checked too (transaction_effects.hpp).
[[nodiscard]] std::vector<BlankRange> check_transactions(const MigrationSource& migration,
                                                         const SectionSource& section,
                                                         ParsedSection& parsed,
                                                         Diagnostics& diagnostics);

}  // namespace strata::generator
