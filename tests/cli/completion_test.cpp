// Shell completion and the man page, generated from the command table that --help prints.
// bash completions are run in a real bash; zsh and fish are not installed on the test machines,
// so their scripts are checked for the commands, options and values they must offer.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"

using strata::test::ProcessResult;
using strata::test::run_process;
using strata::test::strata_tool;

namespace {

const std::vector<const char*> k_commands{"check", "generate", "lock",     "new",       "status",
                                          "up",    "down",     "rollback", "redo",      "verify",
                                          "plan",  "history",  "resolve",  "wait",      "create",
                                          "drop",  "dump",     "load",     "completion"};

std::filesystem::path written(const std::string& name, const std::string& text) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / name;
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << text;
  return path;
}

// What the bash completion offers for the words typed so far (the last one is being completed).
std::string complete_in_bash(const std::filesystem::path& script,
                             const std::vector<std::string>& words) {
  std::string array;
  for (const std::string& word : words)
    array += " '" + word + "'";
  const std::string program = "source '" + script.string() + "'; COMP_WORDS=(" + array +
                              "); COMP_CWORD=" + std::to_string(words.size() - 1) +
                              "; _strata; echo \"${COMPREPLY[*]}\"";
  const ProcessResult result = run_process({"/bin/bash", "-c", program});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

}  // namespace

TEST_CASE("The bash completion offers commands, each command's options, and option values",
          "[cli]") {
  const ProcessResult bash = strata_tool({"completion", "bash"});
  REQUIRE(bash.exit_code == 0);
  const std::filesystem::path script = written("strata-completion-test.bash", bash.out);
  CHECK(run_process({"/bin/bash", "-n", script.string()}).exit_code == 0);
  CHECK(complete_in_bash(script, {"strata", "sta"}) == "status\n");
  CHECK(complete_in_bash(script, {"strata", "-d", "db/migrations", "hi"}) == "history\n");
  CHECK(complete_in_bash(script, {"strata", "status", "--ex"}) == "--exit-code\n");
  CHECK(complete_in_bash(script, {"strata", "up", "--dump-"}) == "--dump-schema\n");
  CHECK(complete_in_bash(script, {"strata", "new", "--form", ""}) == "dbmate pair plain\n");
  CHECK(complete_in_bash(script, {"strata", "completion", ""}) == "bash zsh fish\n");
  const std::string all = complete_in_bash(script, {"strata", ""});
  for (const char* command : k_commands)
    CHECK_THAT(all, Catch::Contains(command));
  std::filesystem::remove(script);
}

TEST_CASE("The zsh and fish completions carry the same commands, options and values", "[cli]") {
  const ProcessResult zsh = strata_tool({"completion", "zsh"});
  REQUIRE(zsh.exit_code == 0);
  CHECK_THAT(zsh.out, Catch::StartsWith("#compdef strata\n"));
  const ProcessResult fish = strata_tool({"completion", "fish"});
  REQUIRE(fish.exit_code == 0);
  for (const char* command : k_commands) {
    CHECK_THAT(zsh.out, Catch::Contains(std::string{"    '"} + command + ":"));
    CHECK_THAT(fish.out, Catch::Contains(std::string{"-a "} + command + " -d "));
  }
  CHECK_THAT(zsh.out, Catch::Contains("'--exit-code["));
  CHECK_THAT(zsh.out, Catch::Contains(":FORM:(dbmate pair plain)"));
  CHECK_THAT(fish.out, Catch::Contains("__fish_seen_subcommand_from status' -l exit-code"));
  CHECK_THAT(fish.out, Catch::Contains("-l form -x -a 'dbmate pair plain'"));
  const ProcessResult unknown = strata_tool({"completion", "tcsh"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown shell 'tcsh'"));
}

TEST_CASE("The man page lists every command with its options and renders without warnings",
          "[cli]") {
  const ProcessResult man = strata_tool({"man"});
  REQUIRE(man.exit_code == 0);
  CHECK_THAT(man.out, Catch::StartsWith(".TH STRATA 1"));
  for (const char* command : k_commands)
    CHECK_THAT(man.out, Catch::Contains(std::string{".SS \""} + command));
  CHECK_THAT(man.out, Catch::Contains("\\-\\-exit\\-code"));
  const std::filesystem::path page = written("strata-man-test.1", man.out);
  const ProcessResult rendered =
      run_process({"/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", page.string()});
  CHECK(rendered.exit_code == 0);
  CHECK(rendered.err.empty());
  std::filesystem::remove(page);
}
