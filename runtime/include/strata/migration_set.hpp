// The table of migrations that the strata compiler emits and the runtime applies.
//
// A MigrationSet is a cheap, non-owning view over one of two stores: an array of Migration built
// at run time (the `strata` tool compiles a folder in memory) or a CompiledTable that
// `strata generate` embedded in the program as constant data (compiled_table.hpp). Either way
// it hands out Migration values whose views point into that store, which must outlive them; a
// generated store has static storage, so a generated table's views never dangle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <strata/compiled_table.hpp>

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

namespace detail {

// An iterator over positions 0..size() of a container whose operator[] returns a value (the
// element is decoded on access, so there is no element to refer to). Its category is deduced
// (input), which spares every user of the table the cost of <iterator>.
template <typename Container, typename Value>
class IndexIterator {
 public:
  using value_type = Value;
  using reference = Value;
  using difference_type = std::ptrdiff_t;

  constexpr IndexIterator() noexcept = default;
  constexpr IndexIterator(const Container* container, std::size_t position) noexcept
      : m_container{container}, m_position{position} {}

  [[nodiscard]] Value operator*() const noexcept { return (*m_container)[m_position]; }
  constexpr IndexIterator& operator++() noexcept {
    ++m_position;
    return *this;
  }
  constexpr IndexIterator operator++(int) noexcept {
    IndexIterator before = *this;
    ++m_position;
    return before;
  }
  [[nodiscard]] constexpr bool operator==(const IndexIterator& other) const noexcept {
    return m_position == other.m_position;
  }

 private:
  const Container* m_container = nullptr;
  std::size_t m_position = 0;
};

}  // namespace detail

class StatementList;

namespace detail {
// `count` statements encoded in a compiled table's index from `encoded` on (the runtime's reader
// of generated tables; not for users).
[[nodiscard]] StatementList encoded_statements(const char* encoded, std::size_t count) noexcept;
}  // namespace detail

// The statements of one section, in order: a view over Statement objects or over a compiled
// table's index.
class StatementList {
 public:
  using iterator = detail::IndexIterator<StatementList, Statement>;

  constexpr StatementList() noexcept = default;
  constexpr StatementList(std::span<const Statement> statements) noexcept  // NOLINT: a view
      : m_statements{statements.data()}, m_count{statements.size()} {}
  [[nodiscard]] constexpr std::size_t size() const noexcept { return m_count; }
  [[nodiscard]] constexpr bool empty() const noexcept { return m_count == 0; }
  // Precondition: i < size().
  [[nodiscard]] Statement operator[](std::size_t i) const noexcept;
  [[nodiscard]] iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {this, m_count}; }

 private:
  friend StatementList detail::encoded_statements(const char* encoded, std::size_t count) noexcept;
  constexpr StatementList(const char* encoded, std::size_t count) noexcept
      : m_encoded{encoded}, m_count{count} {}

  const Statement* m_statements = nullptr;
  const char* m_encoded = nullptr;
  std::size_t m_count = 0;
};

// One direction (up or down) of a migration: its SQL exactly as sent to the server, where it
// came from, and whether it runs inside a transaction.
struct Section {
  std::string_view sql;          // normalised: no BOM, LF line endings
  StatementList statements{};    // every statement, in order
  std::string_view path{};       // absolute path of the source file
  std::uint32_t first_line = 1;  // line of `path` on which `sql` starts
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

// The migration as its own file is named, for display: the file name without `.sql`, `.up.sql`
// or `.down.sql` (`0000-init_schema`, `V1_1__create`, `20260213_120530_add_settings`), the
// folder's name for a folder migration; `<version>_<name>` when it has no path, the name for a
// routine.
[[nodiscard]] std::string file_label(const Migration& migration);

// An ordered table of migrations: versioned migrations in version order, then routines in file
// name order. Cheap to copy; owns nothing. Elements are Migration values (a compiled table is
// decoded on access, in constant time), so hold a Migration, not a pointer into the set.
class MigrationSet {
 public:
  using iterator = detail::IndexIterator<MigrationSet, Migration>;

  constexpr MigrationSet() noexcept = default;
  constexpr MigrationSet(std::span<const Migration> migrations) noexcept  // NOLINT: a view
      : m_migrations{migrations} {}
  // `history_table`: the table the set was generated for (add_migrations(… TABLE name)).
  constexpr explicit MigrationSet(const CompiledTable& table,
                                  std::string_view history_table = {}) noexcept
      : m_table{&table}, m_history_table{history_table} {}

  [[nodiscard]] std::size_t size() const noexcept {
    return m_table != nullptr ? m_table->count : m_migrations.size();
  }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  // Precondition: i < size().
  [[nodiscard]] Migration operator[](std::size_t i) const noexcept;
  [[nodiscard]] iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {this, size()}; }

  // The history table compiled in with the set (add_migrations(… TABLE migration.history)), as
  // written; empty when none was (then strata_migrations). strata::cli::run uses it when neither
  // --table nor STRATA_TABLE names one; a Migrator takes MigratorOptions::history_table as given.
  [[nodiscard]] constexpr std::string_view history_table() const noexcept {
    return m_history_table;
  }

 private:
  std::span<const Migration> m_migrations{};
  const CompiledTable* m_table = nullptr;
  std::string_view m_history_table{};
};

}  // namespace strata
