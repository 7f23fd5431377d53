// The table of migrations that the strata compiler emits and the runtime applies.
//
// Every type here is a literal type made of views and integers, so a generated table is constant
// data: no static-initialisation work, no allocation. The generated `<ns>::migrations()` returns a
// `MigrationSet` whose views point into string literals with static storage. The `strata` tool
// builds the same types at run time over text it owns (see generator/catalog).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace strata {

// What a row of the table is: a versioned migration, applied once, or a routine (a versioned
// stored procedure file), re-applied whenever its checksum changes.
enum class MigrationKind : std::uint8_t { migration, routine };

// One statement of a section, as a byte range of that section's SQL, with the 1-based line of the
// source file it starts on. The runtime sends the statements of a migration that does not run in
// a transaction one at a time.
struct Statement {
  std::uint32_t offset = 0;  // bytes from the start of the section's SQL
  std::uint32_t length = 0;  // bytes
  std::uint32_t line = 0;    // 1-based line in the section's source file
};

// One direction (up or down) of a migration: its SQL exactly as sent to the server, where it
// came from, and whether it runs inside a transaction.
struct Section {
  std::string_view sql;                     // normalised: no BOM, LF line endings
  std::span<const Statement> statements{};  // every statement, in order
  std::string_view path{};                  // absolute path of the source file
  std::uint32_t first_line = 1;             // line of `path` on which `sql` starts
  bool in_transaction = true;

  // Whether this section exists. An absent down section means "cannot be rolled back".
  [[nodiscard]] constexpr bool present() const noexcept { return !path.empty(); }
};

// One migration or routine.
struct Migration {
  MigrationKind kind = MigrationKind::migration;
  // As written in the file name ("20240101120000", "0003", "1.2"); empty for a routine.
  // Compare with strata::compare_versions, never as text.
  std::string_view version;
  // Descriptive part of the file name ("create_users"); for a routine, its file name without
  // ".sql", which is also its identity in the history table.
  std::string_view name;
  // "sha256:" + lowercase hex SHA-256 of up.sql. What drift detection compares.
  std::string_view checksum;
  Section up;
  // For a routine: the SQL that removes the objects it defines (DROP ... IF EXISTS), used to roll
  // back its first revision.
  Section down{};
};

// An ordered table of migrations: versioned migrations in version order, then routines in file
// name order. Cheap to copy; owns nothing.
struct MigrationSet {
  std::span<const Migration> migrations{};

  [[nodiscard]] constexpr std::size_t size() const noexcept { return migrations.size(); }
  [[nodiscard]] constexpr auto begin() const noexcept { return migrations.begin(); }
  [[nodiscard]] constexpr auto end() const noexcept { return migrations.end(); }
};

}  // namespace strata
