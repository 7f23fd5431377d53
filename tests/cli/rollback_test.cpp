// The `strata` tool's rollbacks run as a subprocess against the real cluster: which versions
// `down --to` accepts, `down --all`, and how a rollback that stops part-way is reported.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "support/database.hpp"

using strata::test::ProcessResult;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

ProcessResult tool_on(const TempDatabase& db, const std::vector<std::string>& args) {
  return strata::test::strata_tool_at(db.url(), args, strata::test::sample_args());
}

std::vector<std::string> states_of(const TempDatabase& db) {
  const ProcessResult result = tool_on(db, {"status", "--json"});
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> out;
  for (const auto& [name, state] : strata::test::states(result.out))
    out.push_back(state);
  return out;
}

}  // namespace

TEST_CASE("down --to a version that is not a migration exits 2 and rolls back nothing",
          "[cli][db]") {
  TempDatabase db;
  REQUIRE(tool_on(db, {"up"}).exit_code == 0);
  const std::vector<std::string> applied(6, "applied");
  REQUIRE(states_of(db) == applied);

  // One digit short of 20260110090000, and a version after the newest one.
  for (const char* typo : {"2026011009000", "20260110090099"}) {
    INFO(typo);
    const ProcessResult down = tool_on(db, {"down", "--to", typo});
    CHECK(down.exit_code == 2);
    REQUIRE(down.err_lines().size() == 1);
    CHECK_THAT(down.err, Catch::StartsWith("strata: error: ") && Catch::Contains(typo) &&
                             Catch::Contains("--all"));
    CHECK(down.out.empty());
    CHECK(states_of(db) == applied);
  }
}

TEST_CASE("down --all rolls back every migration and routine", "[cli][db]") {
  TempDatabase db;
  REQUIRE(tool_on(db, {"up"}).exit_code == 0);
  const ProcessResult all = tool_on(db, {"down", "--all"});
  REQUIRE(all.exit_code == 0);
  CHECK_THAT(all.out, Catch::Contains("Rolled back 4 migrations and 2 routines in "));
  CHECK(states_of(db) == std::vector<std::string>(6, "pending"));

  REQUIRE(tool_on(db, {"up"}).exit_code == 0);
  // A variable left set in the environment does not turn a plain down into --all.
  const ProcessResult one = strata::test::strata_tool(
      std::vector<std::string>{"down", "--url", db.url()} + strata::test::sample_args(),
      {{"STRATA_ALL", "1"}});
  REQUIRE(one.exit_code == 0);
  CHECK(states_of(db) ==
        std::vector<std::string>{"applied", "applied", "applied", "pending", "applied", "applied"});

  const ProcessResult both = tool_on(db, {"down", "--all", "--steps", "2"});
  CHECK(both.exit_code == 2);
  CHECK(both.err_lines().size() == 1);
}
