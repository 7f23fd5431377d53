// Diagnostic collection and the compiler-style printer.
#include "catalog/diagnostics.hpp"

#include <algorithm>
#include <ostream>

#include "catalog/source_file.hpp"
#include "catalog/text.hpp"
#include "utf8.hpp"

namespace strata::generator {
namespace {

std::string_view severity_name(Severity severity) noexcept {
  switch (severity) {
    case Severity::note:
      return "note";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "error";
}

}  // namespace

void Diagnostics::add(const SourceFile& file, std::size_t offset, DiagnosticId id,
                      std::string message, std::string hint) {
  const SourcePoint point = file.point(offset);
  add(Diagnostic{id.severity(), file.path(), point.line, point.column, std::string{id.id()},
                 std::move(message), std::move(hint), std::string{file.line_text(point.line)}});
}

void Diagnostics::add(const std::filesystem::path& path, DiagnosticId id, std::string message,
                      std::string hint) {
  add(Diagnostic{
      id.severity(), path, 0, 0, std::string{id.id()}, std::move(message), std::move(hint), {}});
}

void Diagnostics::add(const std::filesystem::path& path, std::uint32_t line, std::string line_text,
                      DiagnosticId id, std::string message, std::string hint) {
  add(Diagnostic{id.severity(), path, line, 1, std::string{id.id()}, std::move(message),
                 std::move(hint), std::move(line_text)});
}

void Diagnostics::add(Diagnostic diagnostic) {
  m_diagnostics.push_back(std::move(diagnostic));
}

bool Diagnostics::has_errors() const noexcept {
  return count(Severity::error) > 0;
}

std::size_t Diagnostics::count(Severity severity) const noexcept {
  return static_cast<std::size_t>(
      std::count_if(m_diagnostics.begin(), m_diagnostics.end(),
                    [severity](const Diagnostic& d) { return d.severity == severity; }));
}

void Diagnostics::promote_warnings() noexcept {
  for (auto& diagnostic : m_diagnostics) {
    if (diagnostic.severity == Severity::warning)
      diagnostic.severity = Severity::error;
  }
}

void Diagnostics::print(std::ostream& out) const {
  for (const auto& diagnostic : m_diagnostics)
    out << format_diagnostic(diagnostic);
}

void Diagnostics::print_errors(std::ostream& out) const {
  for (const auto& diagnostic : m_diagnostics) {
    if (diagnostic.severity == Severity::error)
      out << format_diagnostic(diagnostic);
  }
  const std::size_t warnings = count(Severity::warning);
  const std::size_t notes = count(Severity::note);
  if (warnings + notes == 0)
    return;
  out << "(not shown: " << warnings << (warnings == 1 ? " warning" : " warnings") << " and "
      << notes << (notes == 1 ? " note" : " notes") << ")\n";
}

std::string format_diagnostic(const Diagnostic& diagnostic) {
  // Names, messages and source lines are the user's bytes: printed through
  // strata::detail::printable, so a control character in a file name or a NUL in the SQL cannot
  // reach the terminal.
  std::string text;
  if (!diagnostic.path.empty()) {
    text += strata::detail::printable(diagnostic.path.string());
    if (diagnostic.line > 0) {
      text += ':' + std::to_string(diagnostic.line) + ':' +
              std::to_string(std::max<std::uint32_t>(diagnostic.column, 1));
    }
    text += ": ";
  }
  text += severity_name(diagnostic.severity);
  text += ": ";
  text += strata::detail::printable(diagnostic.message);
  if (!diagnostic.id.empty())
    text += " [" + diagnostic.id + ']';
  text += '\n';
  if (diagnostic.line > 0) {
    // The caret sits under the column'th character; tabs are kept so it lines up in a terminal,
    // and a character printed escaped (\x00) gets one space per byte of its escape.
    std::string line;
    std::string pad;
    const std::string_view source = diagnostic.source_line;
    std::uint32_t characters = 0;
    for (std::size_t i = 0; i < source.size();) {
      const std::size_t length = strata::detail::utf8_sequence_length(source, i);
      const bool escaped = length == 0 || strata::detail::is_control_character(source, i, length);
      const std::size_t bytes = length == 0 ? 1 : length;
      const std::size_t before = line.size();
      if (escaped) {
        line += strata::detail::printable(source.substr(i, bytes));
      } else {
        line.append(source.substr(i, bytes));
      }
      if (characters + 1 < diagnostic.column) {
        if (source[i] == '\t')
          pad += '\t';
        else
          pad.append(escaped ? line.size() - before : 1, ' ');
      }
      ++characters;
      i += bytes;
    }
    text += "    " + line + '\n';
    text += "    " + pad + "^\n";
  }
  if (!diagnostic.hint.empty())
    text += "hint: " + strata::detail::printable(diagnostic.hint) + '\n';
  return text;
}

}  // namespace strata::generator
