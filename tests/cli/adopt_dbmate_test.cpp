// Taking over a database the real dbmate migrated (the Go binary npm installs, the one a dbmate
// user has), a database migrated by hand (--baseline), and what status, verify and up say about a
// database another tool migrated before it is adopted.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "adopt_support.hpp"
#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"

using strata::test::AdoptFolder;
using strata::test::ProcessResult;
using strata::test::states;
using strata::test::TempDatabase;

namespace {

// Three dbmate migrations, each with its down section.
void write_dbmate_set(const AdoptFolder& folder) {
  folder.write("20240101000000_create_users.sql",
               "-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n");
  folder.write("20240102000000_create_posts.sql",
               "-- migrate:up\nCREATE TABLE posts (id int);\n-- migrate:down\nDROP TABLE posts;\n");
  folder.write("20240103000000_add_email.sql",
               "-- migrate:up\nALTER TABLE users ADD COLUMN email text;\n"
               "-- migrate:down\nALTER TABLE users DROP COLUMN email;\n");
}

ProcessResult dbmate(const TempDatabase& db, const AdoptFolder& folder,
                     const std::vector<std::string>& args) {
  std::vector<std::string> argv{
      DBMATE_PATH,           "--url",           db.url() + "?sslmode=disable", "--migrations-dir",
      folder.dir().string(), "--no-dump-schema"};
  argv.insert(argv.end(), args.begin(), args.end());
  return strata::test::run_process(argv);
}

}  // namespace

TEST_CASE("A database the real dbmate migrated is taken over by one `strata adopt`",
          "[cli][db][adopt]") {
  TempDatabase db;
  AdoptFolder folder;
  write_dbmate_set(folder);
  const ProcessResult migrated = dbmate(db, folder, {"up"});
  INFO(migrated.out << migrated.err);
  REQUIRE(migrated.exit_code == 0);

  // Before: status explains, verify and up refuse without touching the schema.
  const ProcessResult status = folder.tool(db, {"status"});
  REQUIRE(status.exit_code == 0);
  CHECK_THAT(status.out,
             Catch::Contains("This database was migrated by dbmate (schema_migrations, 3 "
                             "versions): run `strata adopt --from dbmate`"));
  const ProcessResult verify = folder.tool(db, {"verify"});
  CHECK(verify.exit_code == 3);
  CHECK_THAT(verify.err, Catch::Contains("migrated by dbmate"));
  const ProcessResult up = folder.tool(db, {"up"});
  CHECK(up.exit_code == 3);
  CHECK_THAT(up.err, Catch::Contains("adopt --from dbmate"));

  const ProcessResult adopt = folder.tool(db, {"adopt"});  // detected: no --from needed
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Catch::Contains("Adopted 3 migrations from dbmate (schema_migrations) into "
                                        "strata_migrations"));
  const ProcessResult json = folder.tool(db, {"status", "--json"});
  for (const auto& [name, state] : states(json.out)) {
    INFO(name);
    CHECK(state == "applied");
  }
  CHECK(folder.tool(db, {"verify"}).exit_code == 0);
  const ProcessResult down = folder.tool(db, {"down", "--steps", "2"});
  INFO(down.err);
  REQUIRE(down.exit_code == 0);
  REQUIRE(folder.tool(db, {"up"}).exit_code == 0);
  CHECK(folder.tool(db, {"verify"}).exit_code == 0);
  // dbmate's table still lists all three: strata never wrote to it.
  strata::pq::Connection conn{db.url(), "strata-tests"};
  CHECK(conn.exec("SELECT count(*) FROM schema_migrations").text(0, 0) == "3");
  CHECK(dbmate(db, folder, {"status"}).exit_code == 0);
}

TEST_CASE("adopt refuses a foreign version without a file, naming it", "[cli][db][adopt]") {
  TempDatabase db;
  AdoptFolder folder;
  write_dbmate_set(folder);
  REQUIRE(dbmate(db, folder, {"up"}).exit_code == 0);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec("INSERT INTO schema_migrations VALUES ('20231231000000')");
  const ProcessResult adopt = folder.tool(db, {"adopt", "--from", "dbmate"});
  CHECK(adopt.exit_code == 3);
  CHECK_THAT(adopt.err, Catch::Contains("records version 20231231000000 as applied, but no "
                                        "migration file here has that version"));
  CHECK(conn.exec("SELECT to_regclass('strata_migrations') IS NULL").text(0, 0) == "t");
}

TEST_CASE("adopt refuses when strata's history has rows, unless --force", "[cli][db][adopt]") {
  TempDatabase db;
  AdoptFolder folder;
  write_dbmate_set(folder);
  REQUIRE(dbmate(db, folder, {"up"}).exit_code == 0);
  ProcessResult adopt = folder.tool(db, {"adopt", "--baseline", "20240101000000"});
  REQUIRE(adopt.exit_code == 0);
  adopt = folder.tool(db, {"adopt", "--from", "dbmate"});
  CHECK(adopt.exit_code == 3);
  CHECK_THAT(adopt.err, Catch::Contains("already has 1 row:"));
  CHECK_THAT(adopt.err, Catch::Contains("--force"));
  adopt = folder.tool(db, {"adopt", "--from", "dbmate", "--force"});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Catch::Contains("Adopted 2 migrations from dbmate (schema_migrations) "
                                        "into strata_migrations (1 already recorded)"));
  CHECK(folder.tool(db, {"verify"}).exit_code == 0);
}

TEST_CASE("adopt --baseline records a database migrated by hand up to a version",
          "[cli][db][adopt]") {
  TempDatabase db;
  AdoptFolder folder;
  write_dbmate_set(folder);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec("CREATE TABLE users (id int); CREATE TABLE posts (id int)");
  // Without history, the first migration's "already exists" names the way out.
  const ProcessResult failed = folder.tool(db, {"up"});
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::Contains("already exists"));
  CHECK_THAT(failed.err, Catch::Contains("adopt --baseline VERSION"));

  const ProcessResult adopt = folder.tool(db, {"adopt", "--baseline", "20240102000000"});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Catch::Contains("Adopted 2 migrations from baseline 20240102000000"));
  const ProcessResult json = folder.tool(db, {"status", "--json"});
  CHECK(states(json.out) ==
        std::vector<std::pair<std::string, std::string>>{{"20240101000000_create_users", "applied"},
                                                         {"20240102000000_create_posts", "applied"},
                                                         {"20240103000000_add_email", "pending"}});
  REQUIRE(folder.tool(db, {"up"}).exit_code == 0);
  REQUIRE(folder.tool(db, {"down", "--steps", "2"}).exit_code == 0);
  REQUIRE(folder.tool(db, {"up"}).exit_code == 0);
  CHECK(folder.tool(db, {"verify"}).exit_code == 0);
  CHECK(folder.tool(db, {"adopt", "--baseline", "99"}).exit_code == 2);
}

TEST_CASE("adopt without --from asks for it when several tools' tables are present",
          "[cli][db][adopt]") {
  TempDatabase db;
  AdoptFolder folder;
  write_dbmate_set(folder);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(
      "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); "
      "CREATE TABLE pgmigrations (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on "
      "timestamp NOT NULL)");
  const ProcessResult adopt = folder.tool(db, {"adopt"});
  CHECK(adopt.exit_code == 2);
  CHECK_THAT(adopt.err, Catch::Contains("dbmate (schema_migrations), node-pg-migrate "
                                        "(pgmigrations); say which one to adopt with --from"));
}

TEST_CASE("adopt --table names the other tool's table, while STRATA_TABLE still names strata's",
          "[cli][db][adopt]") {
  TempDatabase db;
  AdoptFolder folder;
  write_dbmate_set(folder);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(
      "CREATE TABLE app_versions (version varchar(128) PRIMARY KEY); INSERT INTO app_versions "
      "VALUES ('20240101000000')");
  const ProcessResult adopt =
      strata::test::strata_tool({"adopt", "--from", "dbmate", "--table", "app_versions", "--url",
                                 db.url(), "-d", folder.dir().string()},
                                {{"STRATA_TABLE", "my_history"}});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Catch::Contains("Adopted 1 migration from dbmate (app_versions) into "
                                        "my_history"));
  CHECK(conn.exec("SELECT count(*) FROM my_history").text(0, 0) == "1");
}
