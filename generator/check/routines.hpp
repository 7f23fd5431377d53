// Routine files (versioned stored procedures): what they may hold, the objects they define, and
// the SQL that removes those objects, used to roll back a routine's first revision.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "check/statements.hpp"

namespace strata::generator {

class Diagnostics;

// One object a routine file defines.
struct RoutineObject {
  std::string identity;    // "function public.f(pg_catalog.int4)", "view v", "trigger t on s.tab"
  std::string drop_sql;    // DROP … IF EXISTS …;
  std::size_t offset = 0;  // bytes into the section's text, at the defining statement
};

// Reports statements a routine file may not hold (E401) and returns the objects it defines, in
// file order.
[[nodiscard]] std::vector<RoutineObject> analyse_routine(const SectionSource& section,
                                                         const ParsedSection& parsed,
                                                         Diagnostics& diagnostics);

// The objects a statement defines (a CREATE [OR REPLACE] FUNCTION, PROCEDURE, VIEW, TRIGGER or
// AGGREGATE), or nothing.
[[nodiscard]] std::vector<RoutineObject> defined_objects(const ParsedStatement& statement);

}  // namespace strata::generator
