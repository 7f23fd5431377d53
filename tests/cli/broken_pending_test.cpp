// The read commands survive a pending migration that does not compile: `status` shows the
// database's state with that file marked and its first error, and exits 1; `history` reads the
// table as usual; `up`, `verify` and `plan` still refuse the folder at the error's file:line:col.
// Runs the real `strata` tool against the test cluster.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "support/database.hpp"

using strata::test::MigrationsCopy;
using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

constexpr const char* k_broken = "20260110090150_add_flags.sql";

ProcessResult tool(const TempDatabase& db, const std::vector<std::string>& args,
                   const MigrationsCopy& copy) {
  return strata_tool(args + std::vector<std::string>{"--url", db.url()} + copy.args());
}

// Two migrations applied, then a third that does not compile added after them.
void apply_two_then_break_a_third(const TempDatabase& db, const MigrationsCopy& copy) {
  REQUIRE(tool(db, {"up", "--to", "20260110090100"}, copy).exit_code == 0);
  copy.write(k_broken,
             "-- migrate:up\nCREATE TABLE ok_first (id int);\nCREATE TABLE flags (id int,, on "
             "bool);\n-- migrate:down\nDROP TABLE flags;\n");
}

}  // namespace

TEST_CASE("status shows the applied migrations and marks a pending file that does not compile",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  apply_two_then_break_a_third(db, copy);
  const std::string where = (copy.dir() / k_broken).string() + ":3:28: error: syntax error";

  const ProcessResult status = tool(db, {"status"}, copy);
  INFO(status.out << status.err);
  CHECK(status.exit_code == 1);
  CHECK_THAT(status.out, Catch::Contains("[x] 20260110090000_create_users  Executed: "));
  CHECK_THAT(status.out, Catch::Contains("[x] 20260110090100_create_sessions  Executed: "));
  CHECK_THAT(status.out, Catch::Contains("[E] 20260110090150_add_flags  (pending, does not "
                                         "compile)\n    " +
                                         where));
  CHECK_THAT(status.out, Catch::Contains("[ ] 20260110090200_create_audit_log  (pending)"));
  CHECK_THAT(status.out, Catch::Contains("| Not compiling: 1"));
  CHECK_THAT(status.err, Catch::Contains("strata: error: 1 migration does not compile"));

  const ProcessResult json = tool(db, {"status", "--json"}, copy);
  INFO(json.out << json.err);
  CHECK(json.exit_code == 1);
  const auto document = strata::test::parse_json(json.out);
  int seen = 0;
  for (const auto& [key, entry] : document.get_child("migrations")) {
    const std::string error = entry.get<std::string>("compile_error", "null");
    if (entry.get<std::string>("name") == "add_flags") {
      ++seen;
      CHECK(entry.get<std::string>("state") == "pending");
      CHECK_THAT(error, Catch::StartsWith(where));
    } else {
      CHECK(error == "null");
    }
  }
  CHECK(seen == 1);
  CHECK(document.get<int>("totals.executed") == 2);
  CHECK(document.get<int>("totals.not_compiling") == 1);
}

TEST_CASE("history works on a folder whose pending file does not compile", "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  apply_two_then_break_a_third(db, copy);
  const ProcessResult history = tool(db, {"history"}, copy);
  INFO(history.out << history.err);
  CHECK(history.exit_code == 0);
  CHECK_THAT(history.out, Catch::Contains("20260110090000_create_users"));
  CHECK_THAT(history.out, Catch::Contains("20260110090100_create_sessions"));
  CHECK(history.out.find("add_flags") == std::string::npos);
}

TEST_CASE("up, verify and plan still refuse a folder whose pending file does not compile",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  apply_two_then_break_a_third(db, copy);
  const std::string where = (copy.dir() / k_broken).string() + ":3:28: error: syntax error";
  for (const char* command : {"up", "verify", "plan"}) {
    const ProcessResult run = tool(db, {command}, copy);
    INFO(command << "\n" << run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(where));
    CHECK_THAT(run.err, Catch::Contains("strata: error: the migrations do not compile"));
  }
  const ProcessResult status = tool(db, {"status", "--json"}, copy);
  CHECK(strata::test::parse_json(status.out).get<int>("totals.executed") == 2);
}

TEST_CASE("status exits 0 once the broken pending file is fixed", "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  apply_two_then_break_a_third(db, copy);
  copy.edit(k_broken, ",, on bool", ", enabled bool");
  const ProcessResult status = tool(db, {"status"}, copy);
  INFO(status.out << status.err);
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::Contains("[ ] 20260110090150_add_flags  (pending)"));
  CHECK(status.out.find("Not compiling") == std::string::npos);
}
