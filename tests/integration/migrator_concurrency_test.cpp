// Migrator db tests with real processes: many replicas migrating one database at once (with and
// without CREATE INDEX CONCURRENTLY), a process killed mid-migration, and waiting for the lock.
#include <chrono>
#include <csignal>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include <strata/migrator.hpp>

#include <catch2/catch.hpp>

#include "history.hpp"
#include "integration/db_helpers.hpp"
#include "integration/scenarios.hpp"
#include "support/database.hpp"

extern char** environ;

using strata::test::history_rows;
using strata::test::scalar;

namespace {

// Starts migrate_child URL SCENARIO [down] as a separate process.
pid_t spawn_child(const std::string& url, const std::string& scenario, bool down = false) {
  std::vector<std::string> args{STRATA_MIGRATE_CHILD, url, scenario};
  if (down)
    args.emplace_back("down");
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
  return pid;
}

// The exit code of `pid`, or -signal when a signal ended it.
int wait_for(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::vector<int> run_replicas(const std::string& url, const std::string& scenario, int count) {
  std::vector<pid_t> pids;
  pids.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i)
    pids.push_back(spawn_child(url, scenario));
  std::vector<int> codes;
  codes.reserve(pids.size());
  for (const pid_t pid : pids)
    codes.push_back(wait_for(pid));
  return codes;
}

// Waits (up to 4 s) until a migrate_child session of this database is inside pg_sleep.
bool wait_until_sleeping(strata::pq::Connection& conn) {
  for (int i = 0; i < 200; ++i) {
    if (scalar(conn,
               "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
               "AND application_name = 'migrate_child' AND query LIKE '%pg_sleep%' "
               "AND state = 'active'") == "1") {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return false;
}

}  // namespace

TEST_CASE("Sixteen processes migrating one empty database at once apply each migration once",
          "[db][migrator][concurrency]") {
  strata::test::TempDatabase db;
  const std::vector<int> codes = run_replicas(db.url(), "basic", 16);
  CHECK(codes == std::vector<int>(16, 0));
  strata::pq::Connection conn{db.url()};
  CHECK(history_rows(conn) ==
        std::vector<std::string>{"migration 20240101000001 create_users 0 applied",
                                 "migration 20240101000002 add_name 0 applied",
                                 "migration 20240101000003 count_users 0 applied"});
}

TEST_CASE("Sixteen processes with a CREATE INDEX CONCURRENTLY migration do not deadlock",
          "[db][migrator][concurrency]") {
  strata::test::TempDatabase db;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<int> codes = run_replicas(db.url(), "concurrent_index", 16);
  CHECK(codes == std::vector<int>(16, 0));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{30});
  strata::pq::Connection conn{db.url()};
  CHECK(history_rows(conn) == std::vector<std::string>{"migration 1 create_events 0 applied",
                                                       "migration 2 index_events 0 applied",
                                                       "migration 3 add_source 0 applied"});
  CHECK(scalar(conn,
               "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
               "WHERE c.relname IN ('events_kind', 'events_at') AND i.indisvalid") == "2");
}

TEST_CASE(
    "A process killed during a migration leaves it whole or absent, and the next run "
    "completes",
    "[db][migrator][concurrency]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  const pid_t child = spawn_child(db.url(), "sleep");
  REQUIRE(wait_until_sleeping(conn));  // then kill it without warning
  REQUIRE(kill(child, SIGKILL) == 0);
  CHECK(wait_for(child) == -SIGKILL);

  // The server may still be running the dead client's migration; it is all or nothing.
  const std::string row =
      scalar(conn, "SELECT count(*) FROM strata_migrations WHERE version = '2'");
  const std::string table = scalar(conn, "SELECT count(*) FROM pg_class WHERE relname = 'slept'");
  CHECK(row == table);

  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "sleep");
  strata::MigratorOptions options;
  options.lock_timeout = std::chrono::seconds{20};
  strata::Migrator migrator{db.url(), builder.set(), options};
  (void)migrator.up();
  CHECK(history_rows(conn) == std::vector<std::string>{"migration 1 create_before 0 applied",
                                                       "migration 2 sleepy 0 applied"});
  CHECK(scalar(conn, "SELECT count(*) FROM slept") == "1");
}

TEST_CASE(
    "A process killed during a non-transactional migration leaves it failed, not half "
    "re-run",
    "[db][migrator][concurrency]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  const pid_t child = spawn_child(db.url(), "sleep_no_transaction");
  REQUIRE(wait_until_sleeping(conn));
  REQUIRE(kill(child, SIGKILL) == 0);
  CHECK(wait_for(child) == -SIGKILL);

  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "sleep_no_transaction");
  strata::MigratorOptions options;
  options.lock_timeout = std::chrono::seconds{20};  // the dead session holds it until pg_sleep ends
  strata::Migrator migrator{db.url(), builder.set(), options};
  try {
    (void)migrator.up();
    FAIL("the interrupted migration must stop the run");
  } catch (const strata::RefusedError& error) {
    CHECK(error.reason() == strata::Refusal::failed);
    CHECK(error.versions() == std::vector<std::string>{"2"});
    CHECK_THAT(error.what(), Catch::Contains("interrupted after statement 1"));
  }
  CHECK(scalar(conn, "SELECT to_regclass('before_id')::text") == "before_id");
  CHECK(scalar(conn, "SELECT to_regclass('before_id2')::text").empty());
  // A human finishes the job, then tells strata.
  (void)conn.exec("CREATE INDEX before_id2 ON before_sleep (id)");
  migrator.resolve("2", strata::Resolution::mark_applied);
  CHECK(migrator.up().steps.empty());
  CHECK(history_rows(conn).back() == "migration 2 sleepy 0 applied");
}

TEST_CASE("Waiting for the lock names its holder, and gives up after the lock timeout",
          "[db][migrator][concurrency]") {
  strata::test::TempDatabase db;
  strata::pq::Connection holder{db.url(), "lock-holder"};
  strata::detail::History table{holder, strata::detail::HistoryTable{"strata_migrations"}};
  (void)holder.exec("SELECT pg_advisory_lock(" + std::to_string(table.lock_key()) + ")");

  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  std::vector<std::string> waiting;
  strata::MigratorOptions options;
  options.lock_timeout = std::chrono::milliseconds{300};
  options.on_event = [&](const strata::Event& event) {
    if (event.type == strata::Event::Type::lock_waiting)
      waiting.push_back(event.message);
  };
  strata::Migrator migrator{db.url(), builder.set(), options};
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(migrator.up(), strata::LockTimeoutError);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{3});
  REQUIRE(waiting.size() == 1);
  CHECK_THAT(waiting[0], Catch::Contains("pid " + std::to_string(holder.backend_pid())) &&
                             Catch::Contains("application_name \"lock-holder\"") &&
                             Catch::Contains("connected since"));
  try {
    (void)migrator.up();
  } catch (const strata::LockTimeoutError& error) {
    CHECK_THAT(error.what(), Catch::Contains("lock-holder"));
  }

  (void)holder.exec("SELECT pg_advisory_unlock_all()");
  CHECK(migrator.up().steps.size() == 3);
}

TEST_CASE(
    "A non-transactional migration still running in another process is running, not failed, "
    "and verify passes",
    "[db][migrator][concurrency]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  const pid_t child = spawn_child(db.url(), "sleep_no_transaction");
  REQUIRE(wait_until_sleeping(conn));

  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "sleep_no_transaction");
  strata::Migrator watcher{db.url(), builder.set()};
  const strata::Plan plan = watcher.plan();
  REQUIRE(plan.entries.size() == 2);
  CHECK(plan.entries[1].state == strata::MigrationState::running);
  CHECK(plan.entries[1].statements_done == 1);
  CHECK_NOTHROW(watcher.verify());

  CHECK(wait_for(child) == 0);
  CHECK(watcher.plan().entries[1].state == strata::MigrationState::applied);
}

TEST_CASE(
    "A process killed during a non-transactional rollback leaves it recorded as a rollback "
    "stopped part-way, and resolve settles it",
    "[db][migrator][concurrency]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "sleep_in_down");
  strata::MigratorOptions options;
  options.lock_timeout = std::chrono::seconds{20};  // the dead session holds it until pg_sleep ends
  strata::Migrator migrator{db.url(), builder.set(), options};
  REQUIRE(migrator.up().steps.size() == 1);

  const pid_t child = spawn_child(db.url(), "sleep_in_down", true);
  REQUIRE(wait_until_sleeping(conn));
  REQUIRE(kill(child, SIGKILL) == 0);
  CHECK(wait_for(child) == -SIGKILL);

  // Neither a plain "applied" (x1 is gone) nor a failed up: a rollback that stopped part-way.
  try {
    (void)migrator.down();
    FAIL("the interrupted rollback must stop the next one");
  } catch (const strata::RefusedError& error) {
    CHECK(error.reason() == strata::Refusal::failed_rollback);
    CHECK(error.versions() == std::vector<std::string>{"1"});
    CHECK_THAT(error.what(), Catch::Contains("rollback of migration 1 (two_tables)") &&
                                 Catch::Contains("interrupted after statement 1"));
  }
  CHECK(scalar(conn, "SELECT to_regclass('x1')::text").empty());
  CHECK(scalar(conn, "SELECT to_regclass('x2')::text") == "x2");
  const strata::Plan plan = migrator.plan();
  CHECK(plan.entries[0].state == strata::MigrationState::failed);
  CHECK(plan.entries[0].rollback);
  CHECK_THROWS_AS(migrator.up(), strata::RefusedError);

  SECTION("mark rolled back: a human finished the down") {
    (void)conn.exec("DROP TABLE x2");
    migrator.resolve("1", strata::Resolution::mark_rolled_back);
    CHECK(history_rows(conn).empty());
    CHECK(migrator.plan().entries[0].state == strata::MigrationState::pending);
  }
  SECTION("mark applied: a human restored what the down undid") {
    (void)conn.exec("CREATE TABLE x1 (id int)");
    migrator.resolve("1", strata::Resolution::mark_applied);
    CHECK(history_rows(conn) == std::vector<std::string>{"migration 1 two_tables 0 applied"});
    CHECK_FALSE(migrator.plan().entries[0].rollback);
    CHECK(migrator.down().steps.size() == 1);
    CHECK(scalar(conn, "SELECT to_regclass('x2')::text").empty());
  }
}
