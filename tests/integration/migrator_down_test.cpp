// Migrator db tests of rolling back: which versions `down_to` accepts, rolling back everything,
// and non-transactional rollbacks that stop part-way.
#include <strata/migrator.hpp>

#include <catch2/catch.hpp>

#include "integration/db_helpers.hpp"
#include "integration/test_set.hpp"
#include "support/database.hpp"

using strata::test::history_rows;
using strata::test::scalar;

namespace {

// Three timestamped migrations, each creating a table t1..t3, each with a down.
void add_three_tables(strata::test::SetBuilder& builder) {
  builder.migration("20260101000001", "t1", "CREATE TABLE t1 (id int);\n", "DROP TABLE t1;\n")
      .migration("20260101000002", "t2", "CREATE TABLE t2 (id int);\n", "DROP TABLE t2;\n")
      .migration("20260101000003", "t3", "CREATE TABLE t3 (id int);\n", "DROP TABLE t3;\n");
}

std::string tables(strata::pq::Connection& conn) {
  return scalar(conn,
                "SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class "
                "WHERE relname IN ('t0', 't1', 't2', 't3') AND relkind = 'r'");
}

}  // namespace

TEST_CASE("down_to a version that is neither in the set nor applied rolls back nothing",
          "[db][migrator][down]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  add_three_tables(builder);
  strata::Migrator migrator{db.url(), builder.set()};
  REQUIRE(migrator.up().steps.size() == 3);

  // One digit short of a real version, and one after the newest: both are typos, not "0".
  for (const char* typo : {"202601010000", "20260101000099"}) {
    INFO(typo);
    try {
      (void)migrator.down_to(typo);
      FAIL("down_to should have refused the unknown version");
    } catch (const strata::ConfigurationError& error) {
      CHECK_THAT(error.what(), Catch::Contains(typo) && Catch::Contains("nothing was rolled back"));
    }
    CHECK(tables(conn) == "t1,t2,t3");
    CHECK(history_rows(conn).size() == 3);
  }
  CHECK(migrator.down_to("20260101000001").steps.size() == 2);
  CHECK(tables(conn) == "t1");
}

TEST_CASE("down_to accepts a version the history knows even when the set no longer has it",
          "[db][migrator][down]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  add_three_tables(builder);
  {
    strata::Migrator migrator{db.url(), builder.set()};
    REQUIRE(migrator.up().steps.size() == 3);
  }
  const strata::MigrationSet empty{};
  strata::Migrator migrator{db.url(), empty};
  CHECK(migrator.down_to("20260101000002").steps.size() == 1);
  CHECK(tables(conn) == "t1,t2");
}

TEST_CASE("down_all rolls back everything, and down_to 0 keeps a real version 0000",
          "[db][migrator][down]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("0000", "t0", "CREATE TABLE t0 (id int);\n", "DROP TABLE t0;\n")
      .migration("0001", "t1", "CREATE TABLE t1 (id int);\n", "DROP TABLE t1;\n");
  strata::Migrator migrator{db.url(), builder.set()};
  REQUIRE(migrator.up().steps.size() == 2);
  CHECK(migrator.down_to("0").steps.size() == 1);  // "0" is the version 0000 here
  CHECK(tables(conn) == "t0");
  CHECK(migrator.down_all().steps.size() == 1);
  CHECK(tables(conn).empty());
  CHECK(history_rows(conn).empty());
  CHECK(migrator.down_all().steps.empty());
}

TEST_CASE("down_to 0 still rolls back everything when no migration has version 0",
          "[db][migrator][down]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  add_three_tables(builder);
  strata::Migrator migrator{db.url(), builder.set()};
  REQUIRE(migrator.up().steps.size() == 3);
  CHECK(migrator.down_to("0").steps.size() == 3);
  CHECK(tables(conn).empty());
}
