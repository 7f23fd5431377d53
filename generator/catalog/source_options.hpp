// What every stage of the compiler is told and may throw: where the migrations come from and how
// strict the checks are (SourceOptions), and running out of memory on a file (OutOfMemory).
//
// The catalog stage owns it because it is the first to need it; check, and the façade
// (<strata/generator/compiler.hpp>, which the tool and the tests use), take it from here, so no
// stage includes the façade.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <strata/error.hpp>

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

// A folder or file the options name, as every stage spells it in messages, inputs and cache keys:
// absolute and lexically normal (as given, normalised, when the working folder is gone).
[[nodiscard]] std::filesystem::path absolute_path(const std::filesystem::path& path);

// The compiler ran out of memory while working on one file (or, when no file is to blame, a
// folder). what(): "out of memory while checking /abs/path.sql: …" and what to do, on one line.
class OutOfMemory : public strata::Error {
 public:
  OutOfMemory(std::string_view doing, const std::filesystem::path& file);
  [[nodiscard]] const std::filesystem::path& file() const noexcept { return m_file; }

 private:
  std::filesystem::path m_file;
};

}  // namespace strata::generator
