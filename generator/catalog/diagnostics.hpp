// Compiler diagnostics: collected, never thrown, printed the way compilers print them so IDEs
// and CI logs link to the line (`/abs/file.sql:7:23: error: message [strata-E201]`, the source
// line, a caret under the column, `hint: …`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/diagnostic_ids.hpp"

namespace strata::generator {

class SourceFile;

struct Diagnostic {
  Severity severity = Severity::error;
  std::filesystem::path path;  // absolute; empty for a diagnostic about no file in particular
  std::uint32_t line = 0;      // 1-based; 0 = the whole file
  std::uint32_t column = 0;    // 1-based, in characters
  std::string id;              // stable id: "strata-E201", "strata-N301", …
  std::string message;
  std::string hint;         // empty when there is none
  std::string source_line;  // the text of `line`, for the caret display
};

// An ordered collection of diagnostics for one compiler run.
class Diagnostics {
 public:
  // Adds a diagnostic located at byte `offset` of `file`'s normalised text. The id comes from the
  // registry (catalog/diagnostic_ids.hpp) and decides the severity.
  void add(const SourceFile& file, std::size_t offset, DiagnosticId id, std::string message,
           std::string hint = {});
  // Adds a diagnostic about a path with no position (a file name, a folder).
  void add(const std::filesystem::path& path, DiagnosticId id, std::string message,
           std::string hint = {});
  // Adds a diagnostic at `line` (1-based) of a file read line by line (the lock file), whose
  // text is `line_text`.
  void add(const std::filesystem::path& path, std::uint32_t line, std::string line_text,
           DiagnosticId id, std::string message, std::string hint = {});
  // Adds a diagnostic another Diagnostics made (a worker thread's, merged in order).
  void add(Diagnostic diagnostic);

  [[nodiscard]] bool has_errors() const noexcept;
  [[nodiscard]] std::size_t count(Severity severity) const noexcept;
  [[nodiscard]] const std::vector<Diagnostic>& all() const noexcept { return m_diagnostics; }
  // Hands over every diagnostic, leaving none.
  [[nodiscard]] std::vector<Diagnostic> take() noexcept { return std::move(m_diagnostics); }

  // Turns every warning into an error (`--warnings-as-errors`).
  void promote_warnings() noexcept;

  // Prints every diagnostic in the order added, then nothing else.
  void print(std::ostream& out) const;
  // Prints the errors only, then one line counting the warnings and notes left out: a command
  // that stops on an error must not bury it under thousands of lint lines.
  void print_errors(std::ostream& out) const;

 private:
  std::vector<Diagnostic> m_diagnostics;
};

// One diagnostic as text, caret and hint included, ending in a newline.
[[nodiscard]] std::string format_diagnostic(const Diagnostic& diagnostic);

}  // namespace strata::generator
