// `strata lock`: records the versioned migrations of a folder as released, in its lock file.
#pragma once

#include <iosfwd>

namespace strata::generator {
struct SourceOptions;
}

namespace strata::generator::tool {

// Compiles the folders in `options` with every check (the current lock file's included), then
// adds a line for each versioned migration the lock file lacks, creating the file if needed.
// Existing lines are never changed; routines are never locked. Diagnostics go to `err`, the
// summary to `out`. Returns the exit code: 0 locked (or nothing to add), 1 the migrations have
// errors or the file cannot be written.
[[nodiscard]] int lock_migrations(const SourceOptions& options, std::ostream& out,
                                  std::ostream& err);

}  // namespace strata::generator::tool
