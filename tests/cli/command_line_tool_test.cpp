// The one command line of the `strata` tool: options before or after any command (the compiler
// commands included), --help on every command, the version. Runs the real binary.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"

using strata::test::MigrationsCopy;
using strata::test::ProcessResult;
using strata::test::strata_tool;

namespace {

std::vector<std::filesystem::path> files_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator{folder})
    files.push_back(entry.path());
  return files;
}

}  // namespace

TEST_CASE("Global options come before or after every command, compiler commands included",
          "[cli][db]") {
  const MigrationsCopy copy;
  const std::string dir = copy.dir().string();
  const std::string routines = (copy.dir() / "routines").string();
  for (const std::vector<std::string>& line :
       {std::vector<std::string>{"-d", dir, "--routines", routines, "check"},
        std::vector<std::string>{"check", "-d", dir, "--routines", routines},
        std::vector<std::string>{"--routines", routines, "check", "-d", dir}}) {
    const ProcessResult check = strata_tool(line);
    INFO(check.err);
    CHECK(check.exit_code == 0);
  }
  const std::filesystem::path fresh = copy.dir().parent_path() / "crates/db/migrations";
  const ProcessResult before = strata_tool({"-d", fresh.string(), "new", "initial_tables"});
  INFO(before.err);
  REQUIRE(before.exit_code == 0);
  const ProcessResult after = strata_tool({"new", "second", "-d", fresh.string()});
  REQUIRE(after.exit_code == 0);
  CHECK(files_in(fresh).size() == 2);
  CHECK_THAT(before.out, Catch::Contains("_initial_tables.sql"));
}

TEST_CASE("Every command answers --help with its usage and exits 0", "[cli][db]") {
  for (const char* command :
       {"status", "up", "down", "rollback", "redo", "verify", "plan", "history", "resolve", "wait",
        "create", "drop", "dump", "check", "generate", "lock", "new"}) {
    for (const char* help : {"--help", "-h"}) {
      const ProcessResult result = strata_tool({command, help});
      INFO(command << ' ' << help << ": " << result.err);
      CHECK(result.exit_code == 0);
      CHECK(result.err.empty());
      CHECK_THAT(result.out, Catch::StartsWith(std::string{"Usage: strata "} + command));
      CHECK_THAT(result.out, Catch::Contains("-h [ --help ]"));
    }
  }
  const ProcessResult new_help = strata_tool({"help", "new"});
  CHECK(new_help.exit_code == 0);
  CHECK_THAT(new_help.out, Catch::StartsWith("Usage: strata new [options] NAME"));
  CHECK_THAT(new_help.out, Catch::Contains("--form FORM"));
  const ProcessResult generate_help = strata_tool({"generate", "--help"});
  CHECK_THAT(generate_help.out, Catch::Contains("--namespace NS"));
  CHECK_THAT(generate_help.out, Catch::Contains("-d [ --migrations-dir ] DIR"));
}

TEST_CASE("The tool prints its name and version for --version, -V and version", "[cli][db]") {
  for (const char* asked : {"--version", "-V", "version"}) {
    const ProcessResult result = strata_tool({asked});
    INFO(asked);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "strata " STRATA_VERSION "\n");
  }
}

TEST_CASE("The compiler commands' usage mistakes are one line and exit code 2", "[cli][db]") {
  const auto check_error = [](const ProcessResult& result, const std::string& contains) {
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err_lines().size() == 1);
    CHECK_THAT(result.err, Catch::Contains(contains));
  };
  check_error(strata_tool({"check", "--url", "postgresql://h/db"}),
              "'--url' is not an option of check");
  check_error(strata_tool({"status", "--namespace", "x"}),
              "'--namespace' is not an option of status");
  check_error(strata_tool({"new"}), "new needs a NAME");
  check_error(strata_tool({"new", "a", "b"}), "new takes one argument, NAME (got 'b')");
  check_error(strata_tool({"new", "x", "--form", "yaml"}), "unknown --form `yaml`");
  check_error(strata_tool({"generate", "--out-dir", "/tmp/x"}), "generate needs --namespace");
}
