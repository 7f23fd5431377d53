// The form in which `strata generate` embeds a migration table in a program.
//
// A generated `<ns>.cpp` includes this header and nothing else, and holds two string literals: the
// text (every version, name, checksum, path and SQL body, back to back) and the index (fixed-width
// base-64 numbers saying where each string starts and ends). Like protobuf's embedded
// descriptors, the table is data the compiler lexes, not an aggregate it constant-evaluates: a
// unit of 10,000 migrations compiles in about the time the compiler needs to read its bytes.
// strata::MigrationSet (migration_set.hpp) reads it, one Migration at a time.
//
// Only the strata compiler writes this format and only strata::MigrationSet reads it; user code
// never needs anything here but `CompiledTable` as the generated header names it. The record
// layout itself is in <strata/detail/compiled_table_layout.hpp>, which only those two include.
#pragma once

#include <cstdint>

namespace strata {

// Bumped whenever the layout (<strata/detail/compiled_table_layout.hpp>) changes. A generated unit
// asserts it at compile time, so a stale unit from another strata version fails to build (and the
// build regenerates it) instead of being misread.
inline constexpr std::uint32_t compiled_table_format = 2;

// A generated table: `count` migrations described by `index`, whose strings are in `text`.
struct CompiledTable {
  const char* text;
  const char* index;
  std::uint32_t count;
};

}  // namespace strata
