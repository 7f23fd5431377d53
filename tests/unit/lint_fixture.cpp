// One-migration folders for the lint tests.
#include "lint_fixture.hpp"

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

std::string warning_at(int line, std::string_view rule) {
  return std::to_string(line) + ":1 warning strata-lint-" + std::string{rule};
}

}  // namespace strata::test
