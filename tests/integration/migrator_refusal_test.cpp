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

TEST_CASE("Unknown applied versions are refused, naming them, unless allowed",
          "[db][migrator][refusal]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder newer;
  add(newer, 1);
  add(newer, 2);
  add(newer, 3);
  {
    strata::Migrator migrator{db.url(), newer.set()};
    (void)migrator.up();
  }
  strata::test::SetBuilder older;  // a deployment rolled back to a binary with 1 and 2 only
  add(older, 1);
  add(older, 2);
  strata::Migrator migrator{db.url(), older.set()};
  const strata::RefusedError error = refused_up(migrator);
  CHECK(error.reason() == strata::Refusal::unknown);
  CHECK(error.versions() == std::vector<std::string>{"3"});
  CHECK_THAT(error.what(), Catch::Contains("3 (m3)") && Catch::Contains("allow_unknown"));
  const strata::Plan plan = migrator.plan();
  REQUIRE(plan.entries.size() == 3);
  CHECK(plan.entries[2].state == strata::MigrationState::unknown);
  CHECK(plan.entries[2].migration == nullptr);

  strata::Migrator allowed{db.url(), older.set(),
                           allowing(&strata::MigratorOptions::allow_unknown)};
  CHECK(allowed.up().steps.empty());
  CHECK(allowed.verify().count(strata::MigrationState::unknown) == 1);
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
