// Migrator db tests: failing migrations, their source positions, failed non-transactional
// migrations and resolve(), and rollbacks from the down SQL stored in the history table.
#include <strata/migrator.hpp>

#include <catch2/catch.hpp>

#include "integration/db_helpers.hpp"
#include "integration/scenarios.hpp"
#include "support/database.hpp"

using strata::test::history_rows;
using strata::test::scalar;

namespace {

// Runs up() and returns the SqlError it must throw.
strata::SqlError failing_up(strata::Migrator& migrator) {
  try {
    (void)migrator.up();
  } catch (const strata::SqlError& error) {
    return error;
  }
  FAIL("up() should have thrown a SqlError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("A migration failing at its second statement changes nothing and names file:line",
          "[db][migrator][errors]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "good", "CREATE TABLE good (id int);\n")
      .migration("2", "bad", "CREATE TABLE half (id int);\nINSERT INTO missing_table VALUES (1);\n")
      .migration("3", "after", "CREATE TABLE after (id int);\n");
  strata::Migrator migrator{db.url(), builder.set()};
  const strata::SqlError error = failing_up(migrator);

  CHECK(error.sqlstate() == "42P01");
  CHECK(error.fields().version == "2");
  CHECK(error.fields().migration_name == "bad");
  CHECK(error.fields().source.path == "/migrations/2_bad.sql");
  CHECK(error.fields().source.line == 3);
  CHECK(error.fields().source.column == 13);
  CHECK(error.fields().statement == "INSERT INTO missing_table VALUES (1)");
  CHECK(error.fields().position == 13);
  CHECK_THAT(error.what(), Catch::StartsWith("/migrations/2_bad.sql:3:13: migration 2 (bad): "
                                             "42P01: relation \"missing_table\" does not exist"));
  // The first migration stays applied; the failing one left no table and no row.
  CHECK(history_rows(conn) == std::vector<std::string>{"migration 1 good 0 applied"});
  CHECK(scalar(conn, "SELECT to_regclass('half')::text").empty());
  CHECK(scalar(conn, "SELECT to_regclass('after')::text").empty());
  CHECK(conn.usable());
}

TEST_CASE("An error without a server position points at the statement that failed",
          "[db][migrator][errors]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("7", "twice", "CREATE TABLE a (id int);\n\n  CREATE TABLE a (id int);\n");
  strata::Migrator migrator{db.url(), builder.set()};
  const strata::SqlError error = failing_up(migrator);
  CHECK(error.sqlstate() == "42P07");
  CHECK(error.fields().source.line == 4);
  CHECK(error.fields().source.column == 3);
  CHECK(error.fields().statement == "CREATE TABLE a (id int)");
  CHECK(history_rows(conn).empty());
}

TEST_CASE("Error columns count characters, not bytes", "[db][migrator][errors]") {
  strata::test::TempDatabase db;
  strata::test::SetBuilder builder;
  builder.migration("1", "unicode",
                    "-- café, naïve, ünïcödé\nCREATE TABLE b (id int);\n"
                    "SELECT 'héllo', 'wörld', no_such_column FROM b;\n");
  strata::Migrator migrator{db.url(), builder.set()};
  const strata::SqlError error = failing_up(migrator);
  CHECK(error.sqlstate() == "42703");
  CHECK(error.fields().source.line == 4);
  CHECK(error.fields().source.column == 26);  // 25 characters (27 bytes) before the name
}

TEST_CASE("A failed non-transactional migration is recorded and stops later runs until resolved",
          "[db][migrator][errors]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder broken;
  broken.migration("1", "create", "CREATE TABLE t (id int, kind text);\n")
      .migration("2", "indexes",
                 "CREATE INDEX CONCURRENTLY t_id ON t (id);\n"
                 "CREATE INDEX CONCURRENTLY t_missing ON t (missing);\n",
                 std::nullopt, false);
  {
    strata::Migrator migrator{db.url(), broken.set()};
    const strata::SqlError error = failing_up(migrator);
    CHECK(error.sqlstate() == "42703");
    CHECK(error.fields().source.line == 3);
    CHECK(error.fields().statement == "CREATE INDEX CONCURRENTLY t_missing ON t (missing)");
  }
  CHECK(history_rows(conn) ==
        std::vector<std::string>{"migration 1 create 0 applied", "migration 2 indexes 0 failed"});
  CHECK(scalar(conn, "SELECT failed_statement FROM strata_migrations WHERE version = '2'") ==
        "CREATE INDEX CONCURRENTLY t_missing ON t (missing)");
  CHECK(scalar(conn, "SELECT statements_done FROM strata_migrations WHERE version = '2'") == "1");
  CHECK(scalar(conn, "SELECT to_regclass('t_id')::text") == "t_id");  // the first one ran

  strata::MigratorOptions allow_all;
  allow_all.allow_drift = allow_all.allow_unknown = allow_all.allow_out_of_order = true;
  strata::Migrator migrator{db.url(), broken.set(), allow_all};
  try {
    (void)migrator.up();
    FAIL("a failed migration must stop the run");
  } catch (const strata::RefusedError& error) {
    CHECK(error.reason() == strata::Refusal::failed);
    CHECK(error.versions() == std::vector<std::string>{"2"});
    CHECK_THAT(error.what(), Catch::Contains("t_missing") && Catch::Contains("resolve"));
  }
  const strata::Plan plan = migrator.plan();
  CHECK(plan.entries[1].state == strata::MigrationState::failed);
  CHECK(plan.entries[1].failed_statement.find("t_missing") != std::string::npos);
  CHECK_THROWS_AS(migrator.down(), strata::RefusedError);
  CHECK_THROWS_AS(migrator.resolve("1", strata::Resolution::forget), strata::ConfigurationError);

  SECTION("forget: the fixed migration runs again from its first statement") {
    (void)conn.exec("DROP INDEX t_id");
    migrator.resolve("2", strata::Resolution::forget);
    strata::test::SetBuilder fixed;
    fixed.migration("1", "create", "CREATE TABLE t (id int, kind text);\n")
        .migration("2", "indexes",
                   "CREATE INDEX CONCURRENTLY t_id ON t (id);\n"
                   "CREATE INDEX CONCURRENTLY t_kind ON t (kind);\n",
                   std::nullopt, false);
    strata::Migrator again{db.url(), fixed.set(), allow_all};
    CHECK(again.up().steps.size() == 1);
    CHECK(history_rows(conn).back() == "migration 2 indexes 0 applied");
    CHECK(scalar(conn, "SELECT to_regclass('t_kind')::text") == "t_kind");
  }
  SECTION("mark applied: a human finished it by hand") {
    migrator.resolve("2", strata::Resolution::mark_applied);
    CHECK(history_rows(conn).back() == "migration 2 indexes 0 applied");
    CHECK(migrator.up().steps.empty());
  }
}

TEST_CASE("A set that no longer contains a migration rolls it back from the stored down SQL",
          "[db][migrator][down]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder full;
  strata::test::add_scenario(full, "basic");
  {
    strata::Migrator migrator{db.url(), full.set()};
    (void)migrator.up();
  }
  const strata::MigrationSet empty{};
  strata::Migrator migrator{db.url(), empty};
  CHECK(migrator.plan().count(strata::MigrationState::unknown) == 3);
  const strata::RunReport report = migrator.down(2);
  REQUIRE(report.steps.size() == 2);
  CHECK(report.steps[0].name == "count_users");
  CHECK(history_rows(conn) ==
        std::vector<std::string>{"migration 20240101000001 create_users 0 applied"});
  CHECK(scalar(conn, "SELECT count(*) FROM pg_proc WHERE proname = 'count_users'") == "0");
}

TEST_CASE("A migration without down SQL stops the rollback before anything changes",
          "[db][migrator][down]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "first", "CREATE TABLE first (id int);\n", "DROP TABLE first;\n")
      .migration("2", "second", "CREATE TABLE second (id int);\n")
      .migration("3", "third", "CREATE TABLE third (id int);\n", "DROP TABLE third;\n");
  strata::Migrator migrator{db.url(), builder.set()};
  (void)migrator.up();
  try {
    (void)migrator.down_to("0");
    FAIL("the rollback should have been refused");
  } catch (const strata::RefusedError& error) {
    CHECK(error.reason() == strata::Refusal::no_down);
    CHECK(error.versions() == std::vector<std::string>{"2"});
    CHECK_THAT(error.what(), Catch::Contains("2 (second)"));
  }
  CHECK(history_rows(conn).size() == 3);
  CHECK(migrator.down(1).steps.size() == 1);  // the third one has a down
}

TEST_CASE("A non-transactional down runs statement by statement", "[db][migrator][down]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "concurrent_index");
  strata::Migrator migrator{db.url(), builder.set()};
  CHECK(migrator.up().steps.size() == 3);
  CHECK(scalar(conn, "SELECT count(*) FROM pg_indexes WHERE tablename = 'events'") == "3");
  CHECK(migrator.down_to("1").steps.size() == 2);
  CHECK(scalar(conn, "SELECT count(*) FROM pg_indexes WHERE tablename = 'events'") == "1");
  CHECK(history_rows(conn) == std::vector<std::string>{"migration 1 create_events 0 applied"});
}

TEST_CASE("An error in down SQL names the down section's line", "[db][migrator][down]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "create", "CREATE TABLE x (id int);\n",
                    "DROP TABLE x;\nDROP TABLE nope;\n");
  strata::Migrator migrator{db.url(), builder.set()};
  (void)migrator.up();
  try {
    (void)migrator.down();
    FAIL("the down should have failed");
  } catch (const strata::SqlError& error) {
    CHECK(error.sqlstate() == "42P01");
    CHECK(error.fields().source.line == 5);  // up on line 2, marker on 3, down from line 4
  }
  CHECK(scalar(conn, "SELECT to_regclass('x')::text") == "x");  // rolled back as a whole
  CHECK(history_rows(conn).size() == 1);
}

TEST_CASE(
    "A non-transactional migration that ends inside its own BEGIN is rolled back and recorded "
    "failed, not reported applied",
    "[db][migrator][errors]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "unbalanced",
                    "CREATE TABLE before_begin (id int);\nBEGIN;\nCREATE TABLE ntb1 (id int);\n",
                    std::nullopt, false);
  {
    strata::Migrator migrator{db.url(), builder.set()};
    const strata::SqlError error = failing_up(migrator);
    CHECK(error.fields().statement == "BEGIN");
    CHECK(error.fields().source.path == "/migrations/1_unbalanced.sql");
    CHECK(error.fields().source.line == 3);
    CHECK_THAT(error.what(), Catch::Contains("BEGIN without COMMIT") &&
                                 Catch::Contains("statements 2 to 3 undone"));
  }
  // What ran before the BEGIN stays, what ran after it is gone, and the history says so.
  CHECK(scalar(conn, "SELECT to_regclass('before_begin')::text") == "before_begin");
  CHECK(scalar(conn, "SELECT to_regclass('ntb1')::text").empty());
  CHECK(history_rows(conn) == std::vector<std::string>{"migration 1 unbalanced 0 failed"});
  CHECK(scalar(conn, "SELECT statements_done FROM strata_migrations") == "1");
  CHECK(scalar(conn, "SELECT failed_statement FROM strata_migrations") == "BEGIN");

  strata::Migrator again{db.url(), builder.set()};
  CHECK_THROWS_AS(again.up(), strata::RefusedError);
}

TEST_CASE("A non-transactional migration with its own BEGIN and COMMIT is applied",
          "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "balanced",
                    "BEGIN;\nCREATE TABLE inside (id int);\nCOMMIT;\n"
                    "CREATE INDEX CONCURRENTLY inside_id ON inside (id);\n",
                    std::nullopt, false);
  strata::Migrator migrator{db.url(), builder.set()};
  CHECK(migrator.up().steps.size() == 1);
  CHECK(history_rows(conn) == std::vector<std::string>{"migration 1 balanced 0 applied"});
  CHECK(scalar(conn, "SELECT to_regclass('inside_id')::text") == "inside_id");
}

TEST_CASE("A failure inside a non-transactional migration's own BEGIN counts the undone statements",
          "[db][migrator][errors]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "inner",
                    "CREATE TABLE kept (id int);\nBEGIN;\nCREATE TABLE undone (id int);\n"
                    "SELECT 1 / 0;\nCOMMIT;\n",
                    std::nullopt, false);
  strata::Migrator migrator{db.url(), builder.set()};
  const strata::SqlError error = failing_up(migrator);
  CHECK(error.sqlstate() == "22012");
  CHECK(scalar(conn, "SELECT to_regclass('undone')::text").empty());
  CHECK(scalar(conn, "SELECT statements_done FROM strata_migrations") == "1");
}
