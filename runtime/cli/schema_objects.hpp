// A schema object as `replay`'s fingerprint describes it (see fingerprint.hpp), and how two
// descriptions compare.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata::cli {

// One described object: its kind ("table", "index", "function", ...), its qualified name, and
// what it consists of, one line per part (columns, constraints, triggers, the definition).
struct SchemaObject {
  std::string kind;
  std::string name;
  std::string body;
  std::uint32_t owner = 0;  // an index's table; 0 for anything else
};

// What a down left different from the schema before its up, in words: "the down leaves table
// public.b_log", "the down does not restore index public.a_idx", "the down leaves table public.a
// different: it has `column x integer`".
using SchemaDifferences = std::vector<std::string>;

// The differences between two sets of described objects, in words (see SchemaDifferences).
[[nodiscard]] SchemaDifferences compare_objects(std::vector<SchemaObject> before,
                                                std::vector<SchemaObject> after);

// Whether what depends on an object (a view, a foreign key, a default, a trigger) may print it
// differently now than `before`: it was renamed, a column of it was (a name went and another
// came), or its enum labels changed. What a step adds to an object, or drops from it, changes
// nothing that reads it: a dependent of a dropped part is dropped with it, and the drop reports
// it.
[[nodiscard]] bool reads_differently(const SchemaObject& before, const SchemaObject& after);

// A description with every date or time literal cast to date or timestamp replaced: 'now' or
// 'today' in a view, a default or a check is folded into the time it was created, so the same
// source gives another definition on each run and an up applied again never matches the first.
[[nodiscard]] std::string without_frozen_times(std::string body);

}  // namespace strata::cli
