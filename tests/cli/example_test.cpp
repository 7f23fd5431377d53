// The example service, a self-migrating binary: it migrates itself on start, does its work
// through the sample routines, and `auth-service migrate …` is the whole CLI.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"

using strata::test::auth_service;
using strata::test::ProcessResult;
using strata::test::TempDatabase;

namespace {
// `auth-service migrate <args> --url <db>`.
ProcessResult migrate(const TempDatabase& db, std::vector<std::string> args) {
  args.insert(args.begin(), "migrate");
  args.insert(args.end(), {"--url", db.url()});
  return auth_service(args);
}
}  // namespace

TEST_CASE("auth-service migrates itself on start, then creates and finds a user", "[cli][db]") {
  TempDatabase db;
  const ProcessResult first = auth_service({"--name", "Ada Lovelace", "--email", "ada@example.com"},
                                           {{"DATABASE_URL", db.url()}});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("Applied 20260110090000_create_users ("));
  CHECK_THAT(first.out, Catch::Contains("Applied routine insert_user@1 ("));
  CHECK_THAT(first.out,
             Catch::Contains("Created user 1: Ada Lovelace <ada@example.com>, created at "));

  const ProcessResult second = auth_service({"--url", db.url(), "--email", "grace@example.com"});
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::StartsWith("Nothing to apply: the database is up to date\n"));
  CHECK_THAT(second.out, Catch::Contains("Created user 2: Ada Lovelace <grace@example.com>"));
}

TEST_CASE("auth-service --no-migrate skips migrating and fails without the schema", "[cli][db]") {
  TempDatabase db;
  const ProcessResult result = auth_service({"--no-migrate", "--url", db.url()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.out, !Catch::Contains("Applied"));
  CHECK_THAT(result.err, Catch::Contains("insert_user"));
}

TEST_CASE("auth-service migrate runs every migration command on the migrations it carries",
          "[cli][db]") {
  TempDatabase db;
  const ProcessResult help = auth_service({"migrate", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::StartsWith("Usage: auth-service migrate <command> [options]"));

  CHECK(
      strata::test::parse_json(migrate(db, {"status", "--json"}).out).get<int>("totals.pending") ==
      6);
  CHECK(migrate(db, {"plan"}).exit_code == 0);
  CHECK(migrate(db, {"up", "--to", "20260110090100"}).exit_code == 0);
  CHECK(migrate(db, {"up"}).exit_code == 0);
  CHECK(migrate(db, {"verify"}).exit_code == 0);
  CHECK(migrate(db, {"history", "--json"}).exit_code == 0);
  CHECK(migrate(db, {"rollback"}).exit_code == 0);
  CHECK(migrate(db, {"redo"}).exit_code == 0);
  CHECK(migrate(db, {"down", "--steps", "2"}).exit_code == 0);
  CHECK(migrate(db, {"down", "--to", "0"}).exit_code == 0);
  // --to 0 undoes the routine revisions too: the database is back to nothing.
  CHECK(
      strata::test::parse_json(migrate(db, {"status", "--json"}).out).get<int>("totals.executed") ==
      0);
  CHECK(migrate(db, {"wait"}).exit_code == 0);

  const ProcessResult unknown = auth_service({"migrate", "frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "auth-service migrate: error: unknown command 'frobnicate' (see 'auth-service migrate "
        "--help')\n");
}

TEST_CASE("auth-service migrate adopt takes over a database a dbmate-style tool migrated",
          "[cli][db]") {
  TempDatabase db;
  // The first two migrations, applied by another tool that recorded them in its own table.
  strata::pq::Connection conn{db.url(), "strata-tests"};
  REQUIRE(migrate(db, {"up", "--to", "20260110090100"}).exit_code == 0);
  conn.exec(
      "DROP TABLE strata_migrations; CREATE TABLE schema_migrations (version varchar(128) PRIMARY "
      "KEY); INSERT INTO schema_migrations VALUES ('20260110090000'), ('20260110090100')");
  const ProcessResult status = migrate(db, {"status"});
  CHECK_THAT(status.out, Catch::Contains("run `auth-service migrate adopt --from dbmate`"));
  CHECK(migrate(db, {"up"}).exit_code == 3);

  const ProcessResult adopt = migrate(db, {"adopt", "--from", "dbmate"});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Catch::Contains("Adopted 2 migrations from dbmate (schema_migrations)"));
  CHECK(migrate(db, {"up"}).exit_code == 0);
  CHECK(migrate(db, {"verify"}).exit_code == 0);
  CHECK(migrate(db, {"down", "--steps", "3"}).exit_code == 0);
}
