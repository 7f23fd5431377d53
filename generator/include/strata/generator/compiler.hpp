// The migration compiler's façade: read a migrations folder (and a routines folder), run every
// compile-time check, and hand back the checked table.
//
// Two hosts use it: `strata generate`/`strata check` (build time), and the `strata` tool's
// run-time commands (`strata up -d DIR`), which apply the set read from disk without a rebuild.
// Both see exactly the same table a generated translation unit would hold.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <strata/migration_set.hpp>

namespace strata::generator {

// Where the migrations come from and how strict the checks are.
struct SourceOptions {
  std::filesystem::path migrations_dir;               // versioned migrations (not recursive)
  std::optional<std::filesystem::path> routines_dir;  // routine files, one object set each
  std::vector<std::string> ignore_globs;           // file names (fnmatch) that are not migrations
  std::optional<std::filesystem::path> lock_file;  // default <migrations_dir>/migrations.lock
  bool warnings_as_errors = false;                 // warnings count as errors
  // compile() prints only the errors and a count of the warnings and notes: for a command that
  // needs the set (`strata up`), whose error must not drown in lint output.
  bool errors_only = false;
};

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

// Loads the catalog and runs every check. Prints every diagnostic (errors, warnings, notes; with
// `errors_only`, the errors and a count of the rest) to
// `diagnostics`, compiler-style (`/abs/path.sql:L:C: error: message [strata-E…]`, the source
// line, a caret, `hint:`). Returns std::nullopt when there was an error (a warning counts as one
// with `warnings_as_errors`). Never throws for a mistake in the migrations; throws std::bad_alloc
// only.
[[nodiscard]] std::optional<CompiledSet> compile(const SourceOptions& options,
                                                 std::ostream& diagnostics);

}  // namespace strata::generator
