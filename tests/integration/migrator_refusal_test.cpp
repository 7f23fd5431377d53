// Migrator db tests: drift, unknown and out-of-order versions are refused, naming the versions,
// and each override lets the run go on.
#include <strata/migrator.hpp>

#include <catch2/catch.hpp>

#include "integration/db_helpers.hpp"
#include "integration/test_set.hpp"
#include "support/database.hpp"

using strata::test::history_rows;

namespace {

strata::RefusedError refused_up(strata::Migrator& migrator) {
  try {
    (void)migrator.up();
  } catch (const strata::RefusedError& error) {
    return error;
  }
  FAIL("up() should have been refused");
  throw std::logic_error("unreachable");
}

void add(strata::test::SetBuilder& builder, int version, const std::string& up = "") {
  const std::string v = std::to_string(version);
  builder.migration(v, "m" + v, up.empty() ? "CREATE TABLE t" + v + " (id int);\n" : up,
                    "DROP TABLE t" + v + ";\n");
}

strata::MigratorOptions allowing(bool strata::MigratorOptions::*override) {
  strata::MigratorOptions options;
  options.*override = true;
  return options;
}

}  // namespace

TEST_CASE("Drift is refused, naming the migration, unless allowed", "[db][migrator][refusal]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder original;
  add(original, 1);
  add(original, 2);
  {
    strata::Migrator migrator{db.url(), original.set()};
    (void)migrator.up();
  }
  strata::test::SetBuilder edited;
  add(edited, 1);
  add(edited, 2, "CREATE TABLE t2 (id bigint);\n");
  add(edited, 3);
  strata::Migrator migrator{db.url(), edited.set()};
  const strata::RefusedError error = refused_up(migrator);
  CHECK(error.reason() == strata::Refusal::drift);
  CHECK(error.versions() == std::vector<std::string>{"2"});
  CHECK_THAT(error.what(), Catch::Contains("2 (m2)") && Catch::Contains("allow_drift"));
  CHECK(migrator.plan().entries[1].state == strata::MigrationState::drifted);
  CHECK_THROWS_AS(migrator.verify(), strata::RefusedError);
  CHECK(history_rows(conn).size() == 2);  // nothing applied

  strata::Migrator allowed{db.url(), edited.set(), allowing(&strata::MigratorOptions::allow_drift)};
  CHECK(allowed.up().steps.size() == 1);
  CHECK(history_rows(conn).size() == 3);
}

TEST_CASE(
    "Versions newer than every migration of an older binary put the database ahead: up applies "
    "nothing and succeeds",
    "[db][migrator][refusal]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder newer;
  add(newer, 1);
  add(newer, 2);
  add(newer, 3);
  newer.routine("r", "CREATE FUNCTION r() RETURNS int LANGUAGE sql AS 'SELECT 2';\n",
                "DROP FUNCTION IF EXISTS r();\n");
  {
    strata::Migrator migrator{db.url(), newer.set()};
    (void)migrator.up();
  }
  // The previous release: 1 and 2 only, and an older body of the routine.
  strata::test::SetBuilder older;
  add(older, 1);
  add(older, 2);
  older.routine("r", "CREATE OR REPLACE FUNCTION r() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
                "DROP FUNCTION IF EXISTS r();\n");
  strata::Migrator migrator{db.url(), older.set()};
  const strata::Plan plan = migrator.plan();
  REQUIRE(plan.entries.size() == 4);
  CHECK(plan.entries[2].version == "3");
  CHECK(plan.entries[2].state == strata::MigrationState::ahead);
  CHECK_FALSE(plan.entries[2].position.has_value());
  const strata::RunReport report = migrator.up();
  CHECK(report.steps.empty());
  CHECK(report.ahead == std::vector<std::string>{"3"});
  CHECK(strata::test::scalar(conn, "SELECT r()") == "2");  // the newer body stays
  CHECK(history_rows(conn).size() == 4);
  CHECK_NOTHROW(migrator.verify());

  strata::MigratorOptions strict;
  strict.refuse_future = true;
  strata::Migrator refusing{db.url(), older.set(), strict};
  const strata::RefusedError error = refused_up(refusing);
  CHECK(error.reason() == strata::Refusal::unknown);
  CHECK(error.versions() == std::vector<std::string>{"3"});
  CHECK_THAT(error.what(), Catch::Contains("3 (m3)") && Catch::Contains("allow_unknown"));
  CHECK_THROWS_AS(refusing.verify(), strata::RefusedError);
}

TEST_CASE("An unknown applied version between known ones is a hole, refused unless allowed",
          "[db][migrator][refusal]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder other;
  add(other, 1);
  add(other, 2);
  add(other, 3);
  {
    strata::Migrator migrator{db.url(), other.set()};
    (void)migrator.up();
  }
  strata::test::SetBuilder without_two;  // a branch that never had 2
  add(without_two, 1);
  add(without_two, 3);
  add(without_two, 4);
  strata::Migrator migrator{db.url(), without_two.set()};
  const strata::RefusedError error = refused_up(migrator);
  CHECK(error.reason() == strata::Refusal::unknown);
  CHECK(error.versions() == std::vector<std::string>{"2"});
  CHECK_THAT(error.what(), Catch::Contains("2 (m2)") && Catch::Contains("allow_unknown"));
  CHECK(migrator.plan().entries[3].state == strata::MigrationState::unknown);
  CHECK(history_rows(conn).size() == 3);

  strata::Migrator allowed{db.url(), without_two.set(),
                           allowing(&strata::MigratorOptions::allow_unknown)};
  CHECK(allowed.up().steps.size() == 1);
  CHECK(allowed.verify().count(strata::MigrationState::unknown) == 1);
}

TEST_CASE("A database ahead of the binary still refuses drift and failed migrations",
          "[db][migrator][refusal]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder newer;
  add(newer, 1);
  add(newer, 2);
  {
    strata::Migrator migrator{db.url(), newer.set()};
    (void)migrator.up();
  }
  strata::test::SetBuilder drifted_older;
  add(drifted_older, 1, "CREATE TABLE t1 (id bigint);\n");
  strata::Migrator migrator{db.url(), drifted_older.set()};
  CHECK(refused_up(migrator).reason() == strata::Refusal::drift);

  (void)conn.exec("UPDATE strata_migrations SET state = 'failed' WHERE version = '2'");
  strata::test::SetBuilder older;
  add(older, 1);
  strata::Migrator failed{db.url(), older.set()};
  CHECK(refused_up(failed).reason() == strata::Refusal::failed);
}

TEST_CASE("Out-of-order pending versions are refused, naming them, unless allowed",
          "[db][migrator][refusal]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder main_branch;
  add(main_branch, 1);
  add(main_branch, 3);
  {
    strata::Migrator migrator{db.url(), main_branch.set()};
    (void)migrator.up();
  }
  strata::test::SetBuilder merged;  // a branch with version 2 merged after 3 shipped
  add(merged, 1);
  add(merged, 2);
  add(merged, 3);
  add(merged, 4);
  strata::Migrator migrator{db.url(), merged.set()};
  const strata::RefusedError error = refused_up(migrator);
  CHECK(error.reason() == strata::Refusal::out_of_order);
  CHECK(error.versions() == std::vector<std::string>{"2"});
  CHECK_THAT(error.what(), Catch::Contains("2 (m2)") && Catch::Contains("allow_out_of_order"));
  CHECK(migrator.plan().entries[1].state == strata::MigrationState::out_of_order);
  CHECK(history_rows(conn).size() == 2);

  strata::Migrator allowed{db.url(), merged.set(),
                           allowing(&strata::MigratorOptions::allow_out_of_order)};
  const strata::RunReport report = allowed.up();
  REQUIRE(report.steps.size() == 2);
  CHECK(report.steps[0].version == "2");
  CHECK(report.steps[1].version == "4");
  // Rolled back in the order they were applied, newest first: 4, then 2, then 3.
  const strata::RunReport down = allowed.down(3);
  REQUIRE(down.steps.size() == 3);
  CHECK(down.steps[0].version == "4");
  CHECK(down.steps[1].version == "2");
  CHECK(down.steps[2].version == "3");
}
