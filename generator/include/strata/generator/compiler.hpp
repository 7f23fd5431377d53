// The migration compiler's façade: read a migrations folder (and a routines folder), run every
// compile-time check, and hand back the checked table.
//
// Two hosts use it: `strata generate`/`strata check` (build time), and the `strata` tool's
// run-time commands (`strata up -d DIR`), which apply the set read from disk without a rebuild.
// Both see exactly the same table a generated translation unit would hold.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <strata/migration_set.hpp>

// SourceOptions and OutOfMemory, which every stage takes or throws, belong to the first stage.
#include "catalog/source_options.hpp"

namespace strata::generator {

// A checked migration set that owns all of its text. Move-only; `set()` stays valid across moves
// because the storage lives on the heap.
class CompiledSet {
 public:
  struct Storage;  // defined in compiler.cpp

  explicit CompiledSet(std::unique_ptr<Storage> storage) noexcept;
  CompiledSet(CompiledSet&& other) noexcept;
  CompiledSet& operator=(CompiledSet&& other) noexcept;
  CompiledSet(const CompiledSet&) = delete;
  CompiledSet& operator=(const CompiledSet&) = delete;
  ~CompiledSet();

  // The table: versioned migrations in version order, then routines in file-name order. Views
  // point into this object's storage.
  [[nodiscard]] const strata::MigrationSet& set() const noexcept;

  // Every file read and every folder scanned (absolute paths), for a depfile: adding or removing
  // a file changes a folder's time.
  [[nodiscard]] const std::vector<std::filesystem::path>& inputs() const noexcept;

 private:
  std::unique_ptr<Storage> m_storage;
};

// A migrations folder whose SQL is checked on demand, for the `strata` tool's run-time commands:
// load() reads every file, computes the checksums and runs the checks on file names, markers and
// the lock file; check() runs every other check on the migrations a command needs. A migration
// applied unchanged was checked when it was applied, so a no-op `up` parses nothing. (check and
// generate use compile(): every check on every file.) Move-only; set() stays valid across moves.
class LazilyCheckedSet {
 public:
  struct State;  // defined in lazy_set.cpp

  // std::nullopt after printing the diagnostics (see compile()) when the folder is not a set.
  // With `cache_folder` (catalog/catalog_cache.hpp), a folder unchanged since a load that stored
  // its catalog there is not read: its elements have no SQL until check() reads their files
  // (then throws SourceChanged if one changed meanwhile); a folder read without a diagnostic is
  // stored. Throws OutOfMemory.
  [[nodiscard]] static std::optional<LazilyCheckedSet> load(
      const SourceOptions& options, std::ostream& diagnostics,
      const std::optional<std::filesystem::path>& cache_folder = std::nullopt);

  explicit LazilyCheckedSet(std::unique_ptr<State> state) noexcept;
  LazilyCheckedSet(LazilyCheckedSet&& other) noexcept;
  LazilyCheckedSet& operator=(LazilyCheckedSet&& other) noexcept;
  LazilyCheckedSet(const LazilyCheckedSet&) = delete;
  LazilyCheckedSet& operator=(const LazilyCheckedSet&) = delete;
  ~LazilyCheckedSet();

  // The table, in compile()'s order. An element not checked yet has its identity, checksum and
  // paths, its SQL as written (none when its file was not read: see load()), but no statements:
  // compare it with the history, never run it.
  [[nodiscard]] const strata::MigrationSet& set() const noexcept;
  // The options it was loaded with.
  [[nodiscard]] const SourceOptions& options() const noexcept;

  // Runs every check on the migrations at `positions` of set() (and, when one is a routine, on
  // every routine: their checks span files) and replaces those elements by checked ones.
  // Prints their diagnostics to `diagnostics` as compile() does. Returns how many migrations it
  // checked now (one already checked is not checked again), or std::nullopt when one of them has
  // an error. Reads first the files of theirs that load() took from the catalog cache unread.
  // Throws OutOfMemory, SourceChanged (such a file is no longer what the cache recorded).
  [[nodiscard]] std::optional<std::size_t> check(std::span<const std::size_t> positions,
                                                 std::ostream& diagnostics);

  // How many of the set's files were read (one the catalog cache vouched for is read only when
  // check() or survey() needs its text), of how many.
  struct FilesRead {
    std::size_t read = 0;
    std::size_t total = 0;
  };
  [[nodiscard]] FilesRead files_read() const noexcept;

  // A migration survey() could not check: its position in set() and its first error, as the
  // first line of a compiler diagnostic ("/abs/x.sql:3:28: error: syntax error … [strata-E201]").
  struct Failure {
    std::size_t position = 0;
    std::string error;
  };
  struct Survey {
    std::size_t checked = 0;        // migrations checked now, failed ones included
    std::vector<Failure> failures;  // in set() order
  };
  // check() for a command that only reads (`strata status`): a migration with an error does not
  // stop the others. It stays unchecked (never to be run) and is reported, nothing is printed.
  // Throws OutOfMemory, SourceChanged, as check() does.
  [[nodiscard]] Survey survey(std::span<const std::size_t> positions);

 private:
  std::unique_ptr<State> m_state;
};

// Loads the catalog and runs every check. Prints every diagnostic (errors, warnings, notes; with
// `errors_only`, the errors and a count of the rest) to
// `diagnostics`, compiler-style (`/abs/path.sql:L:C: error: message [strata-E…]`, the source
// line, a caret, `hint:`). Returns std::nullopt when there was an error (a warning counts as one
// with `warnings_as_errors`). Never throws for a mistake in the migrations; throws OutOfMemory
// only.
[[nodiscard]] std::optional<CompiledSet> compile(const SourceOptions& options,
                                                 std::ostream& diagnostics);

}  // namespace strata::generator
