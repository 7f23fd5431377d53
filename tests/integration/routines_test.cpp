// Routines (versioned stored procedures) db tests: applied after migrations when their body
// changed, one revision per distinct body, rolled back to the previous body from the history.
#include <strata/migrator.hpp>

#include <catch2/catch.hpp>

#include "integration/db_helpers.hpp"
#include "integration/test_set.hpp"
#include "support/database.hpp"

using strata::test::history_rows;
using strata::test::scalar;

namespace {

const char* const create_users = "CREATE TABLE users (id bigserial PRIMARY KEY, email text);\n";

std::string insert_user(const std::string& returned) {
  return "CREATE OR REPLACE FUNCTION insert_user(p_email text) RETURNS bigint\n"
         "LANGUAGE plpgsql AS $$\nDECLARE new_id bigint;\nBEGIN\n"
         "  INSERT INTO users (email) VALUES (p_email) RETURNING id INTO new_id;\n"
         "  RETURN " +
         returned + ";\nEND;\n$$;\n";
}

const char* const find_user =
    "CREATE OR REPLACE FUNCTION find_user_by_id(p_id bigint) RETURNS text\n"
    "LANGUAGE sql STABLE AS $$ SELECT email FROM users WHERE id = p_id $$;\n";

void add_routines(strata::test::SetBuilder& builder, const std::string& returned) {
  builder
      .routine("find_user_by_id", find_user, "DROP FUNCTION IF EXISTS find_user_by_id(bigint);\n")
      .routine("insert_user", insert_user(returned),
               "DROP FUNCTION IF EXISTS insert_user(text);\n");
}

std::string definition(strata::pq::Connection& conn, const std::string& function) {
  return scalar(conn,
                "SELECT coalesce(pg_get_functiondef(to_regproc('" + function + "')), '<none>')");
}

}  // namespace

TEST_CASE("Routines are applied after migrations, and an edited one again as revision 2",
          "[db][migrator][routines]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder first;
  first.migration("1", "create_users", create_users, "DROP TABLE users;\n");
  add_routines(first, "new_id");
  strata::Migrator v1{db.url(), first.set()};
  const strata::RunReport report = v1.up();
  REQUIRE(report.steps.size() == 3);
  CHECK(report.steps[1].kind == strata::MigrationKind::routine);
  CHECK(report.steps[1].name == "find_user_by_id");
  CHECK(report.steps[2].revision == 1);
  CHECK(scalar(conn, "SELECT insert_user('a@example.com')") == "1");
  CHECK(v1.up().steps.empty());  // unchanged: nothing applied

  strata::test::SetBuilder second;
  second.migration("1", "create_users", create_users, "DROP TABLE users;\n");
  add_routines(second, "new_id * 10");
  strata::Migrator v2{db.url(), second.set()};
  strata::Plan plan = v2.plan();
  REQUIRE(plan.entries.size() == 3);
  CHECK(plan.entries[1].state == strata::MigrationState::applied);
  CHECK(plan.entries[2].state == strata::MigrationState::outdated);
  CHECK(plan.entries[2].revision == 1);

  const strata::RunReport edited = v2.up();
  REQUIRE(edited.steps.size() == 1);
  CHECK(edited.steps[0].name == "insert_user");
  CHECK(edited.steps[0].revision == 2);
  CHECK(scalar(conn, "SELECT insert_user('b@example.com')") == "20");
  CHECK(history_rows(conn) == std::vector<std::string>{"migration 1 create_users 0 applied",
                                                       "routine - find_user_by_id 1 applied",
                                                       "routine - insert_user 1 applied",
                                                       "routine - insert_user 2 applied"});
  CHECK(v2.plan().entries[2].revision == 2);
  CHECK(v1.plan().entries[2].state == strata::MigrationState::outdated);  // the old binary

  // Rolling back to version 1 undoes what later runs applied: body 1 comes back.
  const strata::RunReport down = v2.down_to("1");
  REQUIRE(down.steps.size() == 1);
  CHECK(down.steps[0].revision == 2);
  CHECK(definition(conn, "insert_user").find("RETURN new_id;") != std::string::npos);
  CHECK(scalar(conn, "SELECT insert_user('c@example.com')") == "3");
  CHECK(v1.plan().entries[2].state == strata::MigrationState::applied);
}

TEST_CASE("A routine rolled back past its first revision is dropped", "[db][migrator][routines]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "create_users", create_users, "DROP TABLE users;\n");
  add_routines(builder, "new_id");
  strata::Migrator migrator{db.url(), builder.set()};
  (void)migrator.up();
  CHECK(definition(conn, "find_user_by_id") != "<none>");
  const strata::RunReport down = migrator.down_to("0");
  REQUIRE(down.steps.size() == 3);
  CHECK(down.steps[0].name == "insert_user");  // newest first
  CHECK(down.steps[2].name == "create_users");
  CHECK(definition(conn, "find_user_by_id") == "<none>");
  CHECK(definition(conn, "insert_user") == "<none>");
  CHECK(history_rows(conn).empty());
}

TEST_CASE("A failing routine names its file:line and earlier work stays applied",
          "[db][migrator][routines]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "create_users", create_users, "DROP TABLE users;\n")
      .routine("a_names",
               "CREATE OR REPLACE FUNCTION a_names() RETURNS SETOF text\n"
               "LANGUAGE sql AS $$\n  SELECT email FROM users\n$$;\n",
               std::nullopt)
      .routine("b_nicknames",
               "CREATE OR REPLACE FUNCTION b_nicknames() RETURNS SETOF text\n"
               "LANGUAGE sql AS $$\n  SELECT nickname FROM users\n$$;\n",
               std::nullopt);
  strata::Migrator migrator{db.url(), builder.set()};
  try {
    (void)migrator.up();
    FAIL("the routine should have failed");
  } catch (const strata::SqlError& error) {
    CHECK(error.sqlstate() == "42703");
    CHECK(error.fields().source.path == "/routines/b_nicknames.sql");
    CHECK(error.fields().source.line == 3);
    CHECK(error.fields().source.column == 10);
    CHECK(error.fields().migration_name == "b_nicknames");
  }
  CHECK(history_rows(conn) == std::vector<std::string>{"migration 1 create_users 0 applied",
                                                       "routine - a_names 1 applied"});
  const strata::Plan plan = migrator.plan();
  CHECK(plan.entries[2].state == strata::MigrationState::pending);
}

TEST_CASE("A routine no longer in the source is listed as unknown and stays in the database",
          "[db][migrator][routines]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder with;
  with.migration("1", "create_users", create_users, "DROP TABLE users;\n");
  add_routines(with, "new_id");
  {
    strata::Migrator migrator{db.url(), with.set()};
    (void)migrator.up();
  }
  strata::test::SetBuilder without;
  without.migration("1", "create_users", create_users, "DROP TABLE users;\n")
      .routine("find_user_by_id", find_user, "DROP FUNCTION IF EXISTS find_user_by_id(bigint);\n");
  strata::Migrator migrator{db.url(), without.set()};
  const strata::Plan plan = migrator.plan();
  REQUIRE(plan.entries.size() == 3);
  CHECK(plan.entries[2].kind == strata::MigrationKind::routine);
  CHECK(plan.entries[2].name == "insert_user");
  CHECK(plan.entries[2].state == strata::MigrationState::unknown);
  CHECK(plan.entries[2].revision == 1);
  CHECK(migrator.up().steps.empty());  // not a refusal, and nothing dropped
  CHECK(definition(conn, "insert_user") != "<none>");
}
