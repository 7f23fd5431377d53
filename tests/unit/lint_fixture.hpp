// Helpers for the lint and lock-file tests: one migration written to a temporary folder and
// compiled, and its lint findings read back as short comparable strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler_fixture.hpp"

namespace strata::test {

// Compiles a folder holding one migration, `m/1_a.up.sql` = `up`, with a down file
// (`SELECT 1;`) so that strata-lint-missing-down stays quiet unless a test wants it.
[[nodiscard]] CompileRun lint_up(std::string_view up,
                                 strata::generator::SourceOptions options = {});

// The lint findings of a run (ids strata-lint-* and strata-W6*), each as
// "<line>:<column> <severity> <id>", in the order printed.
[[nodiscard]] std::vector<std::string> lint_findings(const CompileRun& run);

// Runs `strata <args…>` in-process (the tool's compiler commands), capturing what it prints.
// Returns its exit code.
[[nodiscard]] int run_tool(std::vector<std::string> args, std::string& out, std::string& err);

// Shorthand for one expected finding: "<line>:1 warning strata-lint-<rule>".
[[nodiscard]] std::string warning_at(int line, std::string_view rule);

}  // namespace strata::test
