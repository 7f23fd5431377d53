// One-migration folders for the lint tests.
#include "lint_fixture.hpp"

#include <iostream>
#include <sstream>

#include "tool/compiler_commands.hpp"

namespace strata::test {

CompileRun lint_up(std::string_view up, strata::generator::SourceOptions options) {
  TempFolder root;
  root.write("m/1_a.up.sql", up);
  root.write("m/1_a.down.sql", "SELECT 1;\n");
  return compile_folder(root, std::move(options));
}

std::vector<std::string> lint_findings(const CompileRun& run) {
  std::vector<std::string> findings;
  for (const Printed& d : run.diagnostics) {
    if (d.id.starts_with("strata-lint-") || d.id.starts_with("strata-W6")) {
      findings.push_back(std::to_string(d.line) + ':' + std::to_string(d.column) + ' ' +
                         d.severity + ' ' + d.id);
    }
  }
  return findings;
}

int run_tool(std::vector<std::string> args, std::string& out, std::string& err) {
  args.insert(args.begin(), "strata");
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (std::string& arg : args)
    argv.push_back(arg.data());
  std::ostringstream out_stream;
  std::ostringstream err_stream;
  auto* const old_out = std::cout.rdbuf(out_stream.rdbuf());
  auto* const old_err = std::cerr.rdbuf(err_stream.rdbuf());
  const int code =
      strata::generator::tool::run_compiler_command(static_cast<int>(argv.size()), argv.data());
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  out = out_stream.str();
  err = err_stream.str();
  return code;
}

std::string warning_at(int line, std::string_view rule) {
  return std::to_string(line) + ":1 warning strata-lint-" + std::string{rule};
}

}  // namespace strata::test
