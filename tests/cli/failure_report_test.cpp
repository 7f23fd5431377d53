// How the real binaries report a run that does not complete: the --json document of a failed run,
// the commands a refusal suggests (run for real, as printed), a rollback that fails, a migration
// that is still running, and the progress lines of -v.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"

using strata::test::MigrationsCopy;
using strata::test::ProcessResult;
using strata::test::strata_tool_at;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

// Every `...` span of `text`.
std::vector<std::string> backquoted(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t open = text.find('`'); open != std::string::npos;) {
    const std::size_t close = text.find('`', open + 1);
    REQUIRE(close != std::string::npos);
    out.push_back(text.substr(open + 1, close - open - 1));
    open = text.find('`', close + 1);
  }
  return out;
}

// `command` as printed (program words, then arguments the tests keep free of shell quoting),
// run with `binary` in place of the program's words; the server comes from DATABASE_URL, as it
// would for a person who copied the line.
ProcessResult run_suggested(const std::string& command, const std::string& program,
                            const std::string& binary, const TempDatabase& db) {
  REQUIRE(command.rfind(program + " ", 0) == 0);
  std::vector<std::string> argv{binary};
  if (program.find(' ') != std::string::npos)
    argv.push_back(program.substr(program.find(' ') + 1));  // "auth-service migrate"
  std::string rest = command.substr(program.size() + 1);
  for (std::size_t start = 0; start <= rest.size();) {
    const std::size_t end = std::min(rest.find(' ', start), rest.size());
    if (end > start)
      argv.push_back(rest.substr(start, end - start));
    start = end + 1;
  }
  return strata::test::run_process(argv, {{"DATABASE_URL", db.url()}});
}

const char* const k_broken_backfill =
    "-- migrate:up transaction:false\nCREATE TABLE IF NOT EXISTS backfill (x int);\n"
    "SELECT 1 / 0;\n-- migrate:down\nDROP TABLE backfill;\n";

}  // namespace

TEST_CASE("up --json that fails part-way prints one document with what was applied and what failed",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  copy.write("20260110090400_broken.sql",
             "-- migrate:up\nSELECT 1;\nINSERT INTO missing_table VALUES (1);\n"
             "-- migrate:down\nSELECT 1;\n");
  const ProcessResult up = strata_tool_at(db.url(), copy, {"up", "--json"});
  CHECK(up.exit_code == 1);
  REQUIRE_FALSE(up.out.empty());
  const auto tree = strata::test::parse_json(up.out);
  std::vector<std::string> applied;
  for (const auto& [key, step] : tree.get_child("steps"))
    applied.push_back(step.get<std::string>("version"));
  CHECK(applied == std::vector<std::string>{"20260110090000", "20260110090100", "20260110090200",
                                            "20260110090300"});
  CHECK(tree.get<std::string>("failed.version") == "20260110090400");
  CHECK(tree.get<std::string>("failed.name") == "broken");
  CHECK(tree.get<std::string>("error.type") == "sql");
  CHECK(tree.get<std::string>("error.sqlstate") == "42P01");
  CHECK(tree.get<int>("error.line") == 3);
  CHECK_THAT(tree.get<std::string>("error.file"), Catch::EndsWith("20260110090400_broken.sql"));
  CHECK_THAT(up.err, Catch::StartsWith("strata: error: "));

  // A refusal is a failure too: nothing applied, and why.
  copy.edit("20260110090200_create_audit_log.sql", "NOT NULL DEFAULT '{}'",
            "NOT NULL DEFAULT '{\"v\": 1}'");
  const ProcessResult refused = strata_tool_at(db.url(), copy, {"up", "--json"});
  CHECK(refused.exit_code == 3);
  const auto refusal = strata::test::parse_json(refused.out);
  CHECK(refusal.get_child("steps").empty());
  CHECK(refusal.get<std::string>("error.type") == "refused");
  CHECK(refusal.get<std::string>("failed") == "null");
  CHECK(refusal.get_child("error.versions").front().second.get_value<std::string>() ==
        "20260110090200");
}

TEST_CASE("The resolve commands a failed migration's refusal suggests run as printed",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  copy.write("20260110090400_backfill.sql", k_broken_backfill);
  REQUIRE(strata_tool_at(db.url(), copy, {"up"}).exit_code == 1);

  for (const std::string option : {"--forget", "--mark-applied"}) {
    const ProcessResult stuck = strata_tool_at(db.url(), copy, {"up"});
    REQUIRE(stuck.exit_code == 3);
    CHECK_THAT(stuck.err, !Catch::Contains("--applied |"));
    const std::vector<std::string> commands = backquoted(stuck.err);
    REQUIRE(commands.size() == 2);
    for (const std::string& command : commands)
      CHECK_THAT(command, Catch::StartsWith("strata resolve ") && Catch::Contains(copy.dir()));
    const auto chosen = std::find_if(commands.begin(), commands.end(), [&](const auto& command) {
      return command.find(option + " 20260110090400") != std::string::npos;
    });
    REQUIRE(chosen != commands.end());
    const ProcessResult resolved = run_suggested(*chosen, "strata", STRATA_TOOL_PATH, db);
    INFO(*chosen << "\n" << resolved.err);
    CHECK(resolved.exit_code == 0);
    if (option == "--forget")
      CHECK(strata_tool_at(db.url(), copy, {"up"}).exit_code == 1);  // runs again, fails again
  }
  CHECK(strata_tool_at(db.url(), copy, {"verify"}).exit_code == 0);
}

TEST_CASE("A self-migrating binary suggests its own resolve command, which runs as printed",
          "[cli][db]") {
  TempDatabase db;
  REQUIRE(strata::test::auth_service({"migrate", "up", "--url", db.url()}).exit_code == 0);
  {
    strata::pq::Connection conn{db.url()};
    (void)conn.exec(
        "UPDATE strata_migrations SET state = 'failed', failed_statement = 'SELECT 1', "
        "statements_done = 0 WHERE version = '20260110090300'");
  }
  const ProcessResult stuck = strata::test::auth_service({"migrate", "up", "--url", db.url()});
  REQUIRE(stuck.exit_code == 3);
  const std::vector<std::string> commands = backquoted(stuck.err);
  REQUIRE(commands.size() == 2);
  for (const std::string& command : commands)
    CHECK_THAT(command, Catch::StartsWith("auth-service migrate resolve "));
  const ProcessResult resolved =
      run_suggested(commands.front(), "auth-service migrate", AUTH_SERVICE_PATH, db);
  INFO(commands.front() << "\n" << resolved.err);
  CHECK(resolved.exit_code == 0);
  CHECK(strata::test::auth_service({"migrate", "verify", "--url", db.url()}).exit_code == 0);
}

TEST_CASE(
    "A non-transactional down failing at its first statement says the rollback changed "
    "nothing, and the migration stays applied",
    "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  copy.write("20260110090400_index.sql",
             "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY sessions_x ON sessions "
             "(user_id);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY\n"
             "  no_such_index;\nDROP INDEX CONCURRENTLY sessions_x;\n");
  REQUIRE(strata_tool_at(db.url(), copy, {"up"}).exit_code == 0);
  const ProcessResult down = strata_tool_at(db.url(), copy, {"down"});
  CHECK(down.exit_code == 1);
  REQUIRE(down.err_lines().size() == 1);
  CHECK_THAT(down.err, Catch::Contains("rollback of migration 20260110090400 (index)") &&
                           Catch::Contains("nothing was rolled back") &&
                           !Catch::Contains("failed part-way"));
  const ProcessResult status = strata_tool_at(db.url(), copy, {"status", "--json"});
  CHECK(strata::test::states(status.out)[4] ==
        std::pair<std::string, std::string>{"20260110090400_index", "applied"});
}

TEST_CASE(
    "A non-transactional down stopping after its first statement is reported as a rollback, "
    "its statement as written",
    "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  copy.write("20260110090400_index.sql",
             "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY sessions_x ON sessions "
             "(user_id);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY sessions_x;\n"
             "DROP INDEX CONCURRENTLY\n  no_such_index;\n");
  REQUIRE(strata_tool_at(db.url(), copy, {"up"}).exit_code == 0);
  const ProcessResult down = strata_tool_at(db.url(), copy, {"down"});
  CHECK(down.exit_code == 1);
  CHECK_THAT(down.err, Catch::Contains("rollback of migration 20260110090400 (index)") &&
                           Catch::Contains("1 of 2 statements of the down took effect"));

  const ProcessResult stuck = strata_tool_at(db.url(), copy, {"down"});
  CHECK(stuck.exit_code == 3);
  CHECK_THAT(stuck.err, Catch::Contains("the rollback of migration 20260110090400 (index) stopped "
                                        "part-way, at: DROP INDEX CONCURRENTLY no_such_index (1 "
                                        "statement of its down took effect before it)"));
  CHECK_THAT(stuck.err, Catch::Contains("--mark-rolled-back 20260110090400"));
  const ProcessResult status = strata_tool_at(db.url(), copy, {"status"});
  CHECK_THAT(status.out, Catch::Contains("[F] 20260110090400_index  (rollback failed part-way; "
                                         "see resolve) at: DROP INDEX CONCURRENTLY no_such_index"));
  REQUIRE(strata_tool_at(db.url(), copy, {"resolve", "--mark-rolled-back", "20260110090400"})
              .exit_code == 0);
  CHECK(strata::test::states(strata_tool_at(db.url(), copy, {"status", "--json"}).out)[4].second ==
        "pending");
}

TEST_CASE("status shows a migration another process is running as running, and verify passes",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  copy.write("20260110090400_slow.sql",
             "-- migrate:up transaction:false\nCREATE TABLE slow (id int);\n"
             "SELECT pg_sleep(3);\nCREATE INDEX CONCURRENTLY slow_id ON slow (id);\n"
             "-- migrate:down\nDROP TABLE slow;\n");
  strata::test::BackgroundProcess slow{
      std::vector<std::string>{STRATA_TOOL_PATH, "up", "--url", db.url()} + copy.args()};
  REQUIRE(strata::test::wait_for_query(db.url(), "pg_sleep(3)"));
  const ProcessResult status = strata_tool_at(db.url(), copy, {"status"});
  CHECK_THAT(status.out, Catch::Contains("[>] 20260110090400_slow  (running: 1 statement done)"));
  CHECK_THAT(status.out, !Catch::Contains("[F]"));
  const ProcessResult verify = strata_tool_at(db.url(), copy, {"verify"});
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.out, Catch::Contains("1 running"));
  CHECK(slow.wait().exit_code == 0);
}

TEST_CASE("Verbose output says a migration is being applied before it runs, and applied after",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  const ProcessResult up = strata_tool_at(db.url(), copy, {"up", "-v"});
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.err, Catch::Contains("Applying 20260110090000_create_users ..."));
  CHECK_THAT(up.err, !Catch::Contains("Applied "));
  CHECK_THAT(up.out, Catch::Contains("Applied 20260110090000_create_users ("));
  const ProcessResult down = strata_tool_at(db.url(), copy, {"down", "-v"});
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.err, Catch::Contains("Rolling back 20260110090300_create_user ..."));
  CHECK_THAT(down.out, Catch::Contains("Rolled back 20260110090300_create_user ("));
}
