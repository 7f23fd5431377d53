// Test fixture for the migration compiler: temporary migration folders, and the compiler's printed
// diagnostics read back into fields, so tests assert exact file:line:col and message ids on the
// very text an IDE would parse.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/generator/compiler.hpp"

namespace strata::test {

// A fresh folder under the system temporary folder, removed with everything in it on destruction.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
  // Writes `content` (bytes, as given) to `relative`, creating folders on the way.
  void write(const std::filesystem::path& relative, std::string_view content) const;

 private:
  std::filesystem::path m_path;
};

// The bytes of a file, as they are (for copying corpus files into a TempFolder).
[[nodiscard]] std::string read_file(const std::filesystem::path& path);

// One printed diagnostic: `/abs/file:L:C: severity: message [id]`.
struct Printed {
  std::string file;  // path relative to the compiled folder's parent (e.g. "m/1_x.sql")
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string severity;
  std::string message;
  std::string id;
};

struct CompileRun {
  std::optional<strata::generator::CompiledSet> compiled;
  std::string output;  // everything the compiler printed
  std::vector<Printed> diagnostics;

  [[nodiscard]] bool ok() const noexcept { return compiled.has_value(); }
  // Whether a diagnostic with exactly these fields was printed (line/column 0: any).
  [[nodiscard]] bool has(std::string_view file, std::uint32_t line, std::uint32_t column,
                         std::string_view severity, std::string_view id) const;
  [[nodiscard]] std::size_t count(std::string_view severity) const;
  [[nodiscard]] const strata::MigrationSet& set() const { return compiled->set(); }
};

// Compiles `root/m` (and `root/r` as routines when it exists).
[[nodiscard]] CompileRun compile_folder(const TempFolder& root,
                                        strata::generator::SourceOptions options = {});

// Compiles with explicit options; file names in diagnostics are relative to `base`.
[[nodiscard]] CompileRun compile_with(const strata::generator::SourceOptions& options,
                                      const std::filesystem::path& base);

// Compiles the migrations folder `dir` alone; file names in diagnostics are relative to its parent.
[[nodiscard]] CompileRun compile_dir(const std::filesystem::path& dir);

}  // namespace strata::test
