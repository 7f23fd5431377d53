// Checks the bodies of functions, procedures and DO blocks, which the SQL grammar treats as
// opaque strings: `LANGUAGE plpgsql` bodies go through libpg_query's PL/pgSQL compiler,
// `LANGUAGE sql` bodies given as strings through the SQL parser.
#pragma once

#include "catalog/catalog.hpp"
#include "check/statements.hpp"

namespace strata::generator {

class Diagnostics;

// Reports PL/pgSQL errors (E204) and SQL-body syntax errors (E205) of one parsed statement at
// the file:line:col of the offending token. SQL-standard bodies (`BEGIN ATOMIC … END`,
// `RETURN expr`) were parsed with the statement and are never handed to the PL/pgSQL compiler,
// which aborts the process on them.
void check_function_bodies(const SectionSource& section, const ParsedStatement& statement,
                           Diagnostics& diagnostics);

}  // namespace strata::generator
