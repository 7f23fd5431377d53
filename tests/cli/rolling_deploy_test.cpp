// A rolling deploy or an app rollback, with the real binaries: a program older than the database
// (a newer release already migrated it) starts, applies nothing, and says the database is ahead;
// --refuse-future asks for the strict refusal instead.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "support/database.hpp"

using strata::test::MigrationsCopy;
using strata::test::ProcessResult;
using strata::test::strata_tool_at;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

// Migrates `db` as the next release would: the sample migrations plus 20260110090400.
void migrate_as_newer_release(const TempDatabase& db) {
  MigrationsCopy newer;
  newer.write("20260110090400_add_index.sql",
              "-- migrate:up\nCREATE INDEX users_created ON users (created_at);\n"
              "-- migrate:down\nDROP INDEX users_created;\n");
  REQUIRE(strata_tool_at(db.url(), newer, {"up"}).exit_code == 0);
}

}  // namespace

TEST_CASE("An older program on a database a newer release migrated applies nothing and exits 0",
          "[cli][db]") {
  TempDatabase db;
  migrate_as_newer_release(db);

  MigrationsCopy older;  // the release before: without 20260110090400, routines as they were
  const ProcessResult up = strata_tool_at(db.url(), older, {"up"});
  INFO(up.err);
  CHECK(up.exit_code == 0);
  CHECK(up.out ==
        "Nothing applied: the database is ahead of this binary by 1 migration (20260110090400); "
        "a newer release applied it\n");
  CHECK(up.err.empty());

  const ProcessResult json = strata_tool_at(db.url(), older, {"up", "--json"});
  CHECK(json.exit_code == 0);
  const auto tree = strata::test::parse_json(json.out);
  CHECK(tree.get_child("steps").empty());
  CHECK(tree.get_child("ahead").front().second.get_value<std::string>() == "20260110090400");

  const ProcessResult status = strata_tool_at(db.url(), older, {"status"});
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::Contains("[+] 20260110090400_add_index  Executed: "));
  CHECK_THAT(status.out, Catch::EndsWith("The database is ahead of this binary by 1 migration (a "
                                         "newer release applied it).\n"));
  CHECK(strata::test::parse_json(strata_tool_at(db.url(), older, {"status", "--json"}).out)
            .get<int>("totals.ahead") == 1);

  const ProcessResult verify = strata_tool_at(db.url(), older, {"verify"});
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.out, Catch::Contains("ahead of this binary by 1 migration"));

  const ProcessResult strict = strata_tool_at(db.url(), older, {"up", "--refuse-future"});
  CHECK(strict.exit_code == 3);
  CHECK_THAT(strict.err, Catch::Contains("20260110090400") && Catch::Contains("--allow-unknown"));
  CHECK(strata_tool_at(db.url(), older, {"verify", "--refuse-future"}).exit_code == 3);
  CHECK(strata_tool_at(db.url(), older, {"up", "--refuse-future", "--allow-unknown"}).exit_code ==
        2);

  // redo would roll back what the older program cannot apply again: refused, nothing touched.
  const ProcessResult redo = strata_tool_at(db.url(), older, {"redo"});
  CHECK(redo.exit_code == 2);
  CHECK(strata::test::parse_json(strata_tool_at(db.url(), older, {"status", "--json"}).out)
            .get<int>("totals.ahead") == 1);
}

TEST_CASE("A self-migrating binary older than its database starts instead of refusing",
          "[cli][db]") {
  TempDatabase db;
  migrate_as_newer_release(db);
  const ProcessResult start = strata::test::auth_service(
      {"--name", "Ada", "--email", "ada@example.com"}, {{"DATABASE_URL", db.url()}});
  INFO(start.err);
  CHECK(start.exit_code == 0);
  CHECK_THAT(start.out, Catch::StartsWith("Nothing applied: the database is ahead of this binary "
                                          "by 1 migration (20260110090400)"));
  CHECK_THAT(start.out, Catch::Contains("Created user 1: Ada <ada@example.com>"));
}
