// Waiting for locks, through the real `strata` tool: who blocks a migration is said once, the
// migration lock's wait line has one prefix, and --statement-lock-timeout gives a blocked
// migration up.
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
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

// Polls `sql` (one boolean) on `conn` until it is true; false after ~10 s.
bool eventually(strata::pq::Connection& conn, const std::string& sql) {
  for (int i = 0; i < 400; ++i) {
    if (conn.exec(sql).text(0, 0) == "t")
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{25});
  }
  return false;
}

// The sample applied, then one more migration that needs an ACCESS EXCLUSIVE lock on users.
struct BlockedSetup {
  TempDatabase db;
  MigrationsCopy copy;
  strata::pq::Connection reader;
  BlockedSetup() : reader(db.url(), "cli-reader") {
    REQUIRE(
        strata_tool(std::vector<std::string>{"up", "--url", db.url()} + copy.args()).exit_code ==
        0);
    copy.write("20991231000000_nick.sql",
               "-- migrate:up\nALTER TABLE users ADD COLUMN nick text;\n"
               "-- migrate:down\nALTER TABLE users DROP COLUMN nick;\n");
    (void)reader.exec("BEGIN; SELECT count(*) FROM users");  // idle in transaction
  }
};

}  // namespace

TEST_CASE("A migration blocked by another session gives up after --statement-lock-timeout",
          "[cli][db]") {
  BlockedSetup setup;
  const ProcessResult result = strata_tool(
      std::vector<std::string>{"up", "--statement-lock-timeout", "300ms", "--url", setup.db.url()} +
      setup.copy.args());
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("55P03") && Catch::Contains("lock timeout"));
  (void)setup.reader.exec("COMMIT");
  const ProcessResult status = strata_tool(
      std::vector<std::string>{"status", "--json", "--url", setup.db.url()} + setup.copy.args());
  for (const auto& [name, state] : strata::test::states(status.out)) {
    if (name == "20991231000000_nick")
      CHECK(state == "pending");
  }
  CHECK_THAT(status.out, Catch::Contains("\"nick\""));
}

TEST_CASE("A migration blocked by another session names the blocker once on stderr", "[cli][db]") {
  BlockedSetup setup;
  const std::string reader_pid{setup.reader.exec("SELECT pg_backend_pid()").text(0, 0)};
  strata::test::BackgroundProcess run{
      std::vector<std::string>{STRATA_TOOL_PATH, "up", "--url", setup.db.url()} +
      setup.copy.args()};
  // strata opens a second connection to look the blocker up; once that one is idle, it has.
  strata::pq::Connection watcher{setup.db.url()};
  CHECK(eventually(watcher,
                   "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'strata' "
                   "AND datname = current_database() AND state = 'idle' "
                   "AND query LIKE '%pg_blocking_pids%')"));
  (void)setup.reader.exec("COMMIT");
  const ProcessResult result = run.wait();
  INFO(result.err);
  CHECK(result.exit_code == 0);
  REQUIRE(result.err_lines().size() == 1);
  CHECK_THAT(result.err,
             Catch::StartsWith("the running migration waits for a lock held by pid " + reader_pid +
                               " (application_name \"cli-reader\", "
                               "idle in transaction, query started "));
}

TEST_CASE("Waiting for the migration lock is one line with one prefix", "[cli][db]") {
  TempDatabase db;
  strata::pq::Connection watcher{db.url()};
  // A first run holds the migration lock while its last migration sleeps.
  MigrationsCopy copy;
  copy.write("20991231000000_slow.sql", "-- migrate:up\nSELECT pg_sleep(3);\n-- migrate:down\n");
  strata::test::BackgroundProcess slow{
      std::vector<std::string>{STRATA_TOOL_PATH, "up", "--url", db.url()} + copy.args()};
  CHECK(eventually(watcher,
                   "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE query LIKE "
                   "'%pg_sleep(3)%' AND pid <> pg_backend_pid())"));
  const ProcessResult waiting =
      strata_tool(std::vector<std::string>{"up", "--url", db.url()} + copy.args());
  INFO(waiting.err);
  CHECK(waiting.exit_code == 0);
  REQUIRE(waiting.err_lines().size() == 1);
  CHECK_THAT(waiting.err, Catch::StartsWith("waiting for the migration lock on "
                                            "\"strata_migrations\", held by pid "));
  CHECK(slow.wait().exit_code == 0);
}
