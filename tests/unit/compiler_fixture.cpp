// Temporary folders and the diagnostic reader for compiler tests.
#include "compiler_fixture.hpp"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace strata::test {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TempFolder::TempFolder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "strata-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  m_path = pattern;
}

TempFolder::~TempFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

void TempFolder::write(const std::filesystem::path& relative, std::string_view content) const {
  const auto path = m_path / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out{path, std::ios::binary};
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out)
    throw std::runtime_error("cannot write " + path.string());
}

bool CompileRun::has(std::string_view file, std::uint32_t line, std::uint32_t column,
                     std::string_view severity, std::string_view id) const {
  for (const auto& d : diagnostics) {
    if (d.file == file && d.severity == severity && d.id == id && (line == 0 || d.line == line) &&
        (column == 0 || d.column == column)) {
      return true;
    }
  }
  return false;
}

std::size_t CompileRun::count(std::string_view severity) const {
  std::size_t n = 0;
  for (const auto& d : diagnostics)
    n += d.severity == severity ? 1 : 0;
  return n;
}

CompileRun compile_with(const strata::generator::SourceOptions& options,
                        const std::filesystem::path& base) {
  std::ostringstream printed;
  CompileRun run;
  run.compiled = strata::generator::compile(options, printed);
  run.output = printed.str();
  static const std::regex located{
      R"(^(/[^:]+?)(?::(\d+):(\d+))?: (error|warning|note): (.*) \[(strata-[A-Za-z0-9-]+)\]$)"};
  std::istringstream lines{run.output};
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, located))
      continue;
    Printed d;
    d.file = std::filesystem::path{match[1].str()}
                 .lexically_relative(std::filesystem::absolute(base).lexically_normal())
                 .generic_string();
    d.line = match[2].matched ? static_cast<std::uint32_t>(std::stoul(match[2].str())) : 0;
    d.column = match[3].matched ? static_cast<std::uint32_t>(std::stoul(match[3].str())) : 0;
    d.severity = match[4].str();
    d.message = match[5].str();
    d.id = match[6].str();
    run.diagnostics.push_back(std::move(d));
  }
  return run;
}

CompileRun compile_folder(const TempFolder& root, strata::generator::SourceOptions options) {
  options.migrations_dir = root.path() / "m";
  if (!options.routines_dir && std::filesystem::exists(root.path() / "r")) {
    options.routines_dir = root.path() / "r";
  }
  return compile_with(options, root.path());
}

CompileRun compile_dir(const std::filesystem::path& dir) {
  strata::generator::SourceOptions options;
  options.migrations_dir = dir;
  return compile_with(options, dir.parent_path());
}

}  // namespace strata::test
