// The `strata` tool driven as a subprocess against the real cluster: every migration command,
// its text and --json output, and its exit code.
#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"

using strata::test::MigrationsCopy;
using strata::test::ProcessResult;
using strata::test::states;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

constexpr const char* k_users = "20260110090000_create_users";
constexpr const char* k_sessions = "20260110090100_create_sessions";
constexpr const char* k_audit = "20260110090200_create_audit_log";
constexpr const char* k_user = "20260110090300_create_user";

using States = std::vector<std::pair<std::string, std::string>>;

// Runs the tool on the sample migrations (or `dir`) against `db`.
ProcessResult tool(const TempDatabase& db, std::vector<std::string> args,
                   const std::vector<std::string>& dir = {}) {
  args = args + std::vector<std::string>{"--url", db.url()};
  if (dir.empty()) {
    args = args + strata::test::sample_args();
  } else {
    args = args + dir;
  }
  return strata_tool(args);
}

States status(const TempDatabase& db, const std::vector<std::string>& dir = {}) {
  const ProcessResult result = tool(db, {"status", "--json"}, dir);
  REQUIRE(result.exit_code == 0);
  return states(result.out);
}

States all(const std::string& state, const std::string& routine_state) {
  return {{k_users, state},
          {k_sessions, state},
          {k_audit, state},
          {k_user, state},
          {"find_user_by_id", routine_state},
          {"insert_user", routine_state}};
}

}  // namespace

TEST_CASE("status lists every sample migration and routine as pending on a new database",
          "[cli][db]") {
  TempDatabase db;
  const ProcessResult text = tool(db, {"status"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.err.empty());
  CHECK_THAT(text.out, Catch::Contains(std::string{"[ ] "} + k_users + "  (pending)"));
  CHECK_THAT(text.out, Catch::Contains("[ ] insert_user  (pending)"));
  CHECK_THAT(text.out, Catch::EndsWith("Total: 6 | Executed: 0 | Pending: 6\n"));

  const ProcessResult json = tool(db, {"status", "--json"});
  REQUIRE(json.exit_code == 0);
  CHECK(states(json.out) == all("pending", "pending"));
  const auto tree = strata::test::parse_json(json.out);
  CHECK(tree.get<std::string>("table") == "strata_migrations");
  CHECK(tree.get<int>("totals.total") == 6);
  CHECK(tree.get<int>("totals.pending") == 6);
  CHECK(tree.get<int>("totals.executed") == 0);
}

TEST_CASE("up applies everything with one progress line per migration, then status shows it",
          "[cli][db]") {
  TempDatabase db;
  const ProcessResult up = tool(db, {"up"});
  REQUIRE(up.exit_code == 0);
  CHECK(up.err.empty());
  CHECK_THAT(up.out, Catch::Contains(std::string{"Applied "} + k_users + " ("));
  CHECK_THAT(up.out, Catch::Contains(std::string{"Applied "} + k_user + " ("));
  CHECK_THAT(up.out, Catch::Contains("Applied routine insert_user@1 ("));
  CHECK_THAT(up.out, Catch::Contains("Applied 4 migrations and 2 routines in "));
  CHECK(status(db) == all("applied", "applied"));

  const ProcessResult text = tool(db, {"status"});
  CHECK_THAT(text.out, Catch::Contains(std::string{"[x] "} + k_users + "  Executed: "));
  CHECK_THAT(text.out, Catch::Contains("[x] insert_user@1  Executed: "));
  CHECK_THAT(text.out, Catch::EndsWith("Total: 6 | Executed: 6 | Pending: 0\n"));

  const ProcessResult again = tool(db, {"up"});
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == "Nothing to apply: the database is up to date\n");
}

TEST_CASE("up --json reports each step with its duration", "[cli][db]") {
  TempDatabase db;
  const ProcessResult up = tool(db, {"up", "--json"});
  REQUIRE(up.exit_code == 0);
  const auto tree = strata::test::parse_json(up.out);
  std::vector<std::string> names;
  for (const auto& [key, step] : tree.get_child("steps")) {
    names.push_back(step.get<std::string>("name"));
    CHECK(step.get<long>("duration_ms") >= 0);
  }
  CHECK(names == std::vector<std::string>{"create_users", "create_sessions", "create_audit_log",
                                          "create_user", "find_user_by_id", "insert_user"});
  CHECK(tree.get<long>("total_ms") >= 0);
}

TEST_CASE("up --to stops at a version, and a bad or unknown --to is a usage error", "[cli][db]") {
  TempDatabase db;
  REQUIRE(tool(db, {"up", "--to", "20260110090100"}).exit_code == 0);
  CHECK(status(db) == States{{k_users, "applied"},
                             {k_sessions, "applied"},
                             {k_audit, "pending"},
                             {k_user, "pending"},
                             {"find_user_by_id", "pending"},
                             {"insert_user", "pending"}});

  const ProcessResult bad = tool(db, {"up", "--to", "yesterday"});
  CHECK(bad.exit_code == 2);
  REQUIRE(bad.err_lines().size() == 1);
  CHECK_THAT(bad.err,
             Catch::StartsWith("strata: error: --to: 'yesterday' is not a migration version"));

  const ProcessResult unknown = tool(db, {"up", "--to", "20991231000000"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err_lines().size() == 1);
  CHECK_THAT(unknown.err, Catch::Contains("20991231000000"));
}

TEST_CASE("down, rollback and down --to roll back from the stored down SQL", "[cli][db]") {
  TempDatabase db;
  REQUIRE(tool(db, {"up"}).exit_code == 0);

  const ProcessResult down = tool(db, {"down"});
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.out, Catch::Contains(std::string{"Rolled back "} + k_user + " ("));
  CHECK(status(db)[3] == std::pair<std::string, std::string>{k_user, "pending"});

  REQUIRE(tool(db, {"rollback"}).exit_code == 0);
  CHECK(status(db)[2] == std::pair<std::string, std::string>{k_audit, "pending"});

  REQUIRE(tool(db, {"up"}).exit_code == 0);
  const ProcessResult steps = tool(db, {"down", "--steps", "2", "--json"});
  REQUIRE(steps.exit_code == 0);
  CHECK(strata::test::parse_json(steps.out).get_child("steps").size() >= 2);

  const ProcessResult to_zero = tool(db, {"down", "--to", "0"});
  REQUIRE(to_zero.exit_code == 0);
  for (const auto& [name, state] : status(db))
    CHECK(state == "pending");

  const ProcessResult nothing = tool(db, {"rollback"});
  CHECK(nothing.exit_code == 0);
  CHECK(nothing.out == "Nothing to roll back\n");
}

TEST_CASE("redo rolls back the newest migration and applies it again", "[cli][db]") {
  TempDatabase db;
  REQUIRE(tool(db, {"up"}).exit_code == 0);
  const ProcessResult redo = tool(db, {"redo"});
  REQUIRE(redo.exit_code == 0);
  CHECK_THAT(redo.out, Catch::Contains(std::string{"Rolled back "} + k_user));
  CHECK_THAT(redo.out, Catch::Contains(std::string{"Applied "} + k_user));
  CHECK_THAT(redo.out, Catch::Contains("Redid 20260110090300 in "));
  CHECK(status(db) == all("applied", "applied"));

  const ProcessResult json = tool(db, {"redo", "--json"});
  REQUIRE(json.exit_code == 0);
  const auto tree = strata::test::parse_json(json.out);
  CHECK(tree.get_child("rolled_back.steps").size() == 1);
  CHECK(tree.get_child("applied.steps").size() == 1);
}

TEST_CASE("plan prints the SQL up would send and changes nothing", "[cli][db]") {
  TempDatabase db;
  const ProcessResult plan = tool(db, {"plan"});
  REQUIRE(plan.exit_code == 0);
  CHECK_THAT(plan.out, Catch::StartsWith("-- round trip 1 of "));
  CHECK_THAT(plan.out, Catch::Contains("CREATE TABLE users ("));
  CHECK_THAT(plan.out, Catch::Contains("CREATE OR REPLACE FUNCTION insert_user"));
  CHECK_THAT(plan.out, Catch::Contains("strata_migrations"));
  CHECK(status(db) == all("pending", "pending"));

  const ProcessResult json = tool(db, {"plan", "--json"});
  REQUIRE(json.exit_code == 0);
  CHECK(strata::test::parse_json(json.out).get_child("round_trips").size() >= 6);

  REQUIRE(tool(db, {"up"}).exit_code == 0);
  const ProcessResult done = tool(db, {"plan", "--json"});
  REQUIRE(done.exit_code == 0);
  CHECK(strata::test::parse_json(done.out).get_child("round_trips").empty());
  CHECK(tool(db, {"plan"}).out == "-- nothing to apply: the database is up to date\n");
}

TEST_CASE("history lists what was applied, routines with their revision", "[cli][db]") {
  TempDatabase db;
  CHECK(tool(db, {"history"}).out == "Nothing applied yet.\n");
  REQUIRE(tool(db, {"up"}).exit_code == 0);
  const ProcessResult text = tool(db, {"history"});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains(k_users));
  CHECK_THAT(text.out, Catch::Contains("insert_user@1"));

  const ProcessResult json = tool(db, {"history", "--json"});
  REQUIRE(json.exit_code == 0);
  std::vector<std::string> names;
  const auto tree = strata::test::parse_json(json.out);
  for (const auto& [key, row] : tree.get_child("history")) {
    names.push_back(row.get<std::string>("name"));
    CHECK(row.get<std::string>("state") == "applied");
  }
  CHECK(names == std::vector<std::string>{"create_users", "create_sessions", "create_audit_log",
                                          "create_user", "find_user_by_id", "insert_user"});
}

TEST_CASE("verify passes on a migrated database and refuses drift with exit code 3", "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  REQUIRE(tool(db, {"up"}, copy.args()).exit_code == 0);
  const ProcessResult ok = tool(db, {"verify"}, copy.args());
  REQUIRE(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::StartsWith("OK: 6 applied, 0 pending"));
  CHECK(strata::test::parse_json(tool(db, {"verify", "--json"}, copy.args()).out).get<bool>("ok"));

  copy.edit("20260110090200_create_audit_log.sql", "NOT NULL DEFAULT '{}'",
            "NOT NULL DEFAULT '{\"v\": 1}'");
  const ProcessResult drift = tool(db, {"verify", "--json"}, copy.args());
  CHECK(drift.exit_code == 3);
  const auto tree = strata::test::parse_json(drift.out);
  CHECK_FALSE(tree.get<bool>("ok"));
  CHECK(tree.get<std::string>("refusal") == "drift");
  CHECK(tree.get_child("versions").front().second.get_value<std::string>() == "20260110090200");
  REQUIRE(drift.err_lines().size() == 1);
  CHECK_THAT(drift.err, Catch::Contains("20260110090200"));
  CHECK_THAT(drift.err, Catch::Contains("--allow-drift"));

  CHECK(tool(db, {"up"}, copy.args()).exit_code == 3);
  CHECK(tool(db, {"up", "--allow-drift"}, copy.args()).exit_code == 0);
  CHECK(status(db, copy.args())[2].second == "drifted");
}

TEST_CASE(
    "unknown applied versions between known ones and out-of-order pending ones are refused "
    "with exit code 3",
    "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  REQUIRE(tool(db, {"up"}, copy.args()).exit_code == 0);

  MigrationsCopy holed;  // a binary without a migration between applied ones
  holed.remove("20260110090100_create_sessions.up.sql");
  holed.remove("20260110090100_create_sessions.down.sql");
  const States seen = status(db, holed.args());
  CHECK(std::find(seen.begin(), seen.end(),
                  std::pair<std::string, std::string>{k_sessions, "unknown"}) != seen.end());
  const ProcessResult unknown = tool(db, {"up"}, holed.args());
  CHECK(unknown.exit_code == 3);
  CHECK_THAT(unknown.err, Catch::Contains("20260110090100"));
  CHECK_THAT(unknown.err, Catch::Contains("--allow-unknown"));
  CHECK(tool(db, {"up", "--allow-unknown"}, holed.args()).exit_code == 0);

  copy.write("20260110090150_add_display_name_index.sql",
             "-- migrate:up\nCREATE INDEX users_display_name_idx ON users (display_name);\n"
             "-- migrate:down\nDROP INDEX users_display_name_idx;\n");
  const ProcessResult out_of_order = tool(db, {"up"}, copy.args());
  CHECK(out_of_order.exit_code == 3);
  CHECK_THAT(out_of_order.err, Catch::Contains("20260110090150"));
  CHECK_THAT(out_of_order.err, Catch::Contains("--allow-out-of-order"));
  CHECK(tool(db, {"up", "--allow-out-of-order"}, copy.args()).exit_code == 0);
}

TEST_CASE("resolve settles a non-transactional migration that failed part-way", "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  copy.write("20260110090400_backfill.sql",
             "-- migrate:up transaction:false\nCREATE TABLE IF NOT EXISTS backfill (x int);\n"
             "SELECT 1 / 0;\n-- migrate:down\nDROP TABLE backfill;\n");
  const ProcessResult failed = tool(db, {"up"}, copy.args());
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::Contains("20260110090400_backfill.sql:3"));
  CHECK_THAT(failed.err, Catch::Contains("division by zero"));
  CHECK(status(db, copy.args())[4] ==
        std::pair<std::string, std::string>{"20260110090400_backfill", "failed"});

  const ProcessResult stuck = tool(db, {"up"}, copy.args());
  CHECK(stuck.exit_code == 3);
  CHECK_THAT(stuck.err, Catch::Contains("resolve"));

  const ProcessResult forget = tool(db, {"resolve", "--forget", "20260110090400"}, copy.args());
  REQUIRE(forget.exit_code == 0);
  CHECK(status(db, copy.args())[4].second == "pending");

  REQUIRE(tool(db, {"up"}, copy.args()).exit_code == 1);
  REQUIRE(tool(db, {"resolve", "--mark-applied", "20260110090400"}, copy.args()).exit_code == 0);
  CHECK(status(db, copy.args())[4].second == "applied");
  const ProcessResult not_failed = tool(db, {"resolve", "--forget", "20260110090400"}, copy.args());
  CHECK(not_failed.exit_code == 2);
  CHECK(not_failed.err_lines().size() == 1);
}

TEST_CASE("an edited routine file is re-applied as its next revision", "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  REQUIRE(tool(db, {"up"}, copy.args()).exit_code == 0);
  copy.edit("routines/insert_user.sql", "VALUES (p_name, p_email)",
            "VALUES (p_name, lower(p_email))");
  CHECK(status(db, copy.args())[5] ==
        std::pair<std::string, std::string>{"insert_user", "outdated"});

  const ProcessResult up = tool(db, {"up"}, copy.args());
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.out, Catch::Contains("Applied routine insert_user@2 ("));
  CHECK_THAT(up.out, Catch::Contains("Applied 1 routine in "));
  CHECK_THAT(tool(db, {"status"}, copy.args()).out,
             Catch::Contains("[x] insert_user@2  Executed: "));

  // Removed from the folder, it stays in the database: dropping it is a migration's job.
  copy.remove("routines/find_user_by_id.sql");
  const ProcessResult removed = tool(db, {"status"}, copy.args());
  REQUIRE(removed.exit_code == 0);
  CHECK_THAT(removed.out, Catch::Contains("[?] find_user_by_id@1  Executed: "));
  CHECK_THAT(removed.out, Catch::Contains("(no longer in source)"));
  const States states_after = status(db, copy.args());
  CHECK(std::find(states_after.begin(), states_after.end(),
                  std::pair<std::string, std::string>{"find_user_by_id", "unknown"}) !=
        states_after.end());
}

TEST_CASE("a migration waiting for the lock longer than --lock-timeout exits with code 4",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  copy.write("20260110090400_slow.sql", "-- migrate:up\nSELECT pg_sleep(5);\n-- migrate:down\n");
  strata::test::BackgroundProcess slow{
      std::vector<std::string>{STRATA_TOOL_PATH, "up", "--url", db.url()} + copy.args()};
  // Wait until the slow run sleeps inside its migration, holding the lock.
  REQUIRE(strata::test::wait_for_query(db.url(), "pg_sleep(5)"));
  const ProcessResult impatient = tool(db, {"up", "--lock-timeout", "300ms"}, copy.args());
  INFO(impatient.err);
  CHECK(impatient.exit_code == 4);
  REQUIRE_FALSE(impatient.err_lines().empty());
  CHECK_THAT(impatient.err_lines().back(), Catch::StartsWith("strata: error: "));
  CHECK(slow.wait().exit_code == 0);
}

TEST_CASE("status marks lines with emoji on a terminal, and in ASCII with NO_COLOR", "[cli][db]") {
  TempDatabase db;
  REQUIRE(tool(db, {"up", "--to", "20260110090200"}).exit_code == 0);
  std::string command = std::string{STRATA_TOOL_PATH} + " status --url '" + db.url() + "'";
  for (const std::string& arg : strata::test::sample_args())
    command += " '" + arg + "'";
  // script(1) gives the tool a pseudo-terminal as stdout.
  const ProcessResult tty =
      strata::test::run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
  REQUIRE(tty.exit_code == 0);
  CHECK_THAT(tty.out, Catch::Contains(std::string{"✅ "} + k_users + "  Executed: "));
  CHECK_THAT(tty.out, Catch::Contains(std::string{"⏸️ "} + k_user + "  (pending)"));

  const ProcessResult plain = strata::test::run_process(
      {"/usr/bin/script", "-qec", command, "/dev/null"}, {{"NO_COLOR", "1"}});
  REQUIRE(plain.exit_code == 0);
  CHECK_THAT(plain.out, Catch::Contains(std::string{"[x] "} + k_users + "  Executed: "));
  CHECK_THAT(plain.out, !Catch::Contains("✅"));
}
