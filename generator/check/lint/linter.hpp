// The lint stage: flags statements of a versioned migration that would lock or break a live
// database (rules.hpp lists them), as warnings at the statement's line.
//
// Only the up section of a versioned migration is linted. A down section undoes a migration on
// purpose (its DROPs are the point), and a routine is replaced whole on every change. Rules know
// which tables the same migration created before the statement, so a fresh table never warns.
#pragma once

#include "catalog/catalog.hpp"
#include "check/statements.hpp"

namespace strata::generator {

class Diagnostics;

// Lints `migration`'s up section, whose parse is `up`; `down` is the parse of its down section
// (empty when there is none), used by strata-lint-missing-down. Findings silenced by a
// `-- strata:allow <rule-id> <reason>` comment directly above their statement are dropped; an
// allow comment naming an unknown rule (W601), giving no reason (W602), silencing nothing on its
// statement (W603) or standing above no statement (W604) is a warning. Does nothing for a routine.
void lint_migration(const MigrationSource& migration, const ParsedSection& up,
                    const ParsedSection& down, Diagnostics& diagnostics);

}  // namespace strata::generator
