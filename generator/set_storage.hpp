// The storage behind a strata::MigrationSet that the compiler builds in memory, and how a
// catalog entry becomes one of its elements: checked (statement ranges, lifted BEGIN/COMMIT,
// routines' derived DROPs) or, for a set checked on demand, not yet checked.
#pragma once

#include <deque>
#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <strata/migration_set.hpp>

#include "catalog/catalog.hpp"
#include "check/checker.hpp"
#include "strata/generator/compiler.hpp"

namespace strata::generator {

// Owns every string and array the set's views point into. Deques never move their elements, so
// the views stay valid while storage grows.
struct SetStorage {
  std::deque<std::string> strings;
  std::deque<std::vector<strata::Statement>> statements;
  std::vector<strata::Migration> migrations;
  strata::MigrationSet set;
  std::vector<std::filesystem::path> inputs;

  std::string_view keep(std::string text) { return strings.emplace_back(std::move(text)); }
  std::span<const strata::Statement> keep(std::vector<strata::Statement> list) {
    return statements.emplace_back(std::move(list));
  }
};

// The element of a checked catalog entry. Takes the routine's derived DROPs from `checked`.
[[nodiscard]] strata::Migration checked_element(const MigrationSource& source,
                                                CheckedMigration& checked, SetStorage& storage);

// The element of an entry whose SQL is not checked yet: identity, checksum and paths, each
// section's SQL as written, no statements. Enough to compare with the history table, not to run.
[[nodiscard]] strata::Migration unchecked_element(const MigrationSource& source,
                                                  SetStorage& storage);

// How a compiler run ends: promotes warnings when asked, prints every diagnostic and, when there
// are errors, their count. Returns whether there was no error.
[[nodiscard]] bool print_diagnostics(Diagnostics& diagnostics, const SourceOptions& options,
                                     std::ostream& out);

}  // namespace strata::generator
