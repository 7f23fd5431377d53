// `strata adopt`: databases migrated by another tool, each holding that tool's history table in its
// documented shape with the rows the tool writes, taken over by one command; then status, verify,
// rolling back the newest migrations and applying them again.
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

using States = std::vector<std::pair<std::string, std::string>>;

// The sqlx test vector of research/formats.md (SQX-07): SHA-384 of exactly these 44 bytes.
constexpr const char* k_sqlx_text = "CREATE TABLE test1(x INTEGER PRIMARY KEY);\n";
constexpr const char* k_sqlx_sha384 =
    "d405902250e0b05857014783cd7c02e59250a799fcd242e4937c4febf775a84777fd4d0937db997c495ad67dbb711"
    "5e6";
// The Flyway test vector (FLY-12): CRC-32 of the lines of this text, as a signed int.
constexpr const char* k_flyway_text = "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n";
constexpr const char* k_flyway_crc = "169406234";

// After adoption: every migration applied from `tool`, verify passes, the newest two roll back and
// apply again, and the foreign table is as it was.
void check_adopted(const TempDatabase& db, const AdoptFolder& folder, const std::string& tool,
                   const std::string& foreign_table, std::size_t adopted) {
  strata::pq::Connection conn{db.url(), "strata-tests"};
  const std::string before =
      std::string{conn.exec("SELECT count(*) FROM " + foreign_table).text(0, 0)};

  const ProcessResult json = folder.tool(db, {"status", "--json"});
  REQUIRE(json.exit_code == 0);
  for (const auto& [name, state] : states(json.out)) {
    INFO(name);
    CHECK(state == "applied");
  }
  const auto tree = strata::test::parse_json(json.out);
  std::size_t from_tool = 0;
  for (const auto& entry : tree.get_child("migrations"))
    from_tool += entry.second.get<std::string>("adopted_from") == tool ? 1 : 0;
  CHECK(from_tool == adopted);
  const ProcessResult history = folder.tool(db, {"history"});
  CHECK_THAT(history.out, Catch::Contains("(adopted from " + tool + ")"));

  const ProcessResult verify = folder.tool(db, {"verify"});
  INFO(verify.err);
  CHECK(verify.exit_code == 0);
  const ProcessResult down = folder.tool(db, {"down", "--steps", "2"});
  INFO(down.err);
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.out, Catch::Contains("Rolled back 2 migrations"));
  const ProcessResult up = folder.tool(db, {"up"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.out, Catch::Contains("Applied 2 migrations"));
  CHECK(folder.tool(db, {"verify"}).exit_code == 0);
  CHECK(conn.exec("SELECT count(*) FROM " + foreign_table).text(0, 0) == before);
}

}  // namespace

TEST_CASE("A golang-migrate database (one row, the newest version) is adopted", "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  folder.up("1_a.up.sql", "CREATE TABLE a (id int);\n");
  folder.write("1_a.down.sql", "DROP TABLE a;\n");
  folder.up("2_b.up.sql", "CREATE TABLE b (id int);\n");
  folder.write("2_b.down.sql", "DROP TABLE b;\n");
  folder.up("3_c.up.sql", "CREATE TABLE c (id int);\n");
  folder.write("3_c.down.sql", "DROP TABLE c;\n");
  folder.apply_ups(db);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(
      "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT "
      "NULL); INSERT INTO schema_migrations VALUES (3, false)");
  const ProcessResult adopt = folder.tool(db, {"adopt", "--from", "golang-migrate"});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Catch::Contains("Adopted 3 migrations from golang-migrate"));
  check_adopted(db, folder, "golang-migrate", "schema_migrations", 3);
}

TEST_CASE("A dirty golang-migrate database is refused, naming the version", "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  folder.up("1_a.up.sql", "CREATE TABLE a (id int);\n");
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(
      "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT "
      "NULL); INSERT INTO schema_migrations VALUES (1, true)");
  const ProcessResult adopt = folder.tool(db, {"adopt"});
  CHECK(adopt.exit_code == 3);
  CHECK_THAT(adopt.err, Catch::Contains("migration 1 as unfinished (dirty)"));
  CHECK_THAT(adopt.err, Catch::Contains("migrate force VERSION"));
  CHECK(conn.exec("SELECT to_regclass('strata_migrations') IS NULL").text(0, 0) == "t");
}

TEST_CASE("An sqlx database is adopted when every file's SHA-384 matches", "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  folder.up("20230101000000_test1.up.sql", k_sqlx_text);
  folder.write("20230101000000_test1.down.sql", "DROP TABLE test1;\n");
  folder.up("20230201000000_test2.up.sql", "CREATE TABLE test2(x int);\n");
  folder.write("20230201000000_test2.down.sql", "DROP TABLE test2;\n");
  folder.apply_ups(db);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(strata::test::sqlx_table_sql());
  conn.exec(std::string{"INSERT INTO _sqlx_migrations VALUES (20230101000000, 'test1', now(), "
                        "true, decode('"} +
            k_sqlx_sha384 +
            "', 'hex'), 1), (20230201000000, 'test2', now(), true, "
            "sha384('CREATE TABLE test2(x int);\n'::bytea), 1)");
  const ProcessResult adopt = folder.tool(db, {"adopt"});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  check_adopted(db, folder, "sqlx", "_sqlx_migrations", 2);
}

TEST_CASE("sqlx: a failed row and a changed file are refused, naming them", "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  folder.up("20230101000000_test1.up.sql", k_sqlx_text);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(strata::test::sqlx_table_sql());
  conn.exec(std::string{"INSERT INTO _sqlx_migrations VALUES (20230101000000, 'test1', now(), "
                        "false, decode('"} +
            k_sqlx_sha384 + "', 'hex'), 1)");
  ProcessResult adopt = folder.tool(db, {"adopt", "--from", "sqlx"});
  CHECK(adopt.exit_code == 3);
  CHECK_THAT(adopt.err, Catch::Contains("20230101000000 as unfinished (success = false)"));

  conn.exec("UPDATE _sqlx_migrations SET success = true");
  folder.write("20230101000000_test1.up.sql", "CREATE TABLE test1(x bigint PRIMARY KEY);\n");
  adopt = folder.tool(db, {"adopt", "--from", "sqlx"});
  CHECK(adopt.exit_code == 3);
  CHECK_THAT(adopt.err, Catch::Contains("20230101000000_test1.up.sql changed since sqlx"));
}

TEST_CASE("A goose database is adopted from the newest row of each version", "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  folder.up("00001_a.up.sql", "CREATE TABLE a (id int);\n");
  folder.write("00001_a.down.sql", "DROP TABLE a;\n");
  folder.up("00002_b.up.sql", "CREATE TABLE b (id int);\n");
  folder.write("00002_b.down.sql", "DROP TABLE b;\n");
  folder.up("00003_c.up.sql", "CREATE TABLE c (id int);\n");
  folder.write("00003_c.down.sql", "DROP TABLE c;\n");
  folder.apply_ups(db, 2);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  // goose's log: version 0 on creation; 3 applied, then rolled back (is_applied = false).
  conn.exec(
      "CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "
      "version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT "
      "now()); INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), "
      "(2, true), (3, true), (3, false)");
  const ProcessResult adopt = folder.tool(db, {"adopt", "--from", "goose"});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Catch::Contains("Adopted 2 migrations from goose"));
  const ProcessResult up = folder.tool(db, {"up"});
  REQUIRE(up.exit_code == 0);
  check_adopted(db, folder, "goose", "goose_db_version", 2);
}

TEST_CASE("A Flyway database is adopted when every file's CRC-32 matches, and failures are refused",
          "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  folder.up("V1__create.sql", k_flyway_text);
  folder.write("U1__create.sql", "DROP TABLE t;\n");
  folder.up("V1_1__more.sql", "CREATE TABLE u (id int);\n");
  folder.write("U1_1__more.sql", "DROP TABLE u;\n");
  folder.apply_ups(db);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(strata::test::flyway_table_sql());
  conn.exec(std::string{"INSERT INTO flyway_schema_history VALUES (1, '1', 'create', 'SQL', "
                        "'V1__create.sql', "} +
            k_flyway_crc +
            ", 'me', now(), 5, false), (2, '1.1', 'more', 'SQL', 'V1_1__more.sql', NULL, 'me', "
            "now(), 5, true)");
  ProcessResult adopt = folder.tool(db, {"adopt", "--from", "flyway"});
  CHECK(adopt.exit_code == 3);
  CHECK_THAT(adopt.err, Catch::Contains("migration 1 as unfinished"));
  CHECK_THAT(adopt.err, Catch::Contains("flyway repair"));

  conn.exec("UPDATE flyway_schema_history SET success = true");
  folder.write("V1__create.sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (2);\n");
  adopt = folder.tool(db, {"adopt", "--from", "flyway"});
  CHECK(adopt.exit_code == 3);
  CHECK_THAT(adopt.err, Catch::Contains("V1__create.sql changed since flyway"));

  folder.write("V1__create.sql", k_flyway_text);
  adopt = folder.tool(db, {"adopt", "--from", "flyway"});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  check_adopted(db, folder, "flyway", "flyway_schema_history", 2);
}

TEST_CASE("A Diesel database is adopted by folder versions with dashes removed", "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  folder.up("2020-12-15-000000_first/up.sql", "CREATE TABLE a (id int);\n");
  folder.write("2020-12-15-000000_first/down.sql", "DROP TABLE a;\n");
  folder.up("2020-12-7-190800_second/up.sql", "ALTER TABLE a ADD COLUMN b int;\n");
  folder.write("2020-12-7-190800_second/down.sql", "ALTER TABLE a DROP COLUMN b;\n");
  folder.up("2023-05-23-1715-third/up.sql", "CREATE TABLE c (id int);\n");
  folder.write("2023-05-23-1715-third/down.sql", "DROP TABLE c;\n");
  folder.apply_ups(db);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(
      "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on "
      "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP); INSERT INTO __diesel_schema_migrations "
      "(version) VALUES ('20201215000000'), ('2020127190800'), ('202305231715third')");
  const ProcessResult adopt = folder.tool(db, {"adopt", "--from", "diesel"});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  check_adopted(db, folder, "diesel", "__diesel_schema_migrations", 3);
}

TEST_CASE("A node-pg-migrate database is adopted by file names without extension", "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  folder.up("1700000000000_a.sql",
            "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n",
            "CREATE TABLE a (id int);\n");
  folder.up("1700000000001_b.sql",
            "-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n",
            "CREATE TABLE b (id int);\n");
  folder.apply_ups(db);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(
      "CREATE TABLE migrations_log (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on "
      "timestamp NOT NULL); INSERT INTO migrations_log (name, run_on) VALUES "
      "('1700000000000_a', now()), ('1700000000001_b', now())");
  const ProcessResult adopt =
      folder.tool(db, {"adopt", "--from", "node-pg-migrate", "--table", "migrations_log"});
  INFO(adopt.err);
  REQUIRE(adopt.exit_code == 0);
  check_adopted(db, folder, "node-pg-migrate", "migrations_log", 2);
}

TEST_CASE("A history table of layout 1 is read, then upgraded to layout 2 by the next write",
          "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  folder.up("1_a.up.sql", "CREATE TABLE a (id int);\n");
  REQUIRE(folder.tool(db, {"up"}).exit_code == 0);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  // What an older strata left: no adopted_from column, the layout-1 comment.
  conn.exec(
      "ALTER TABLE strata_migrations DROP COLUMN adopted_from; COMMENT ON TABLE strata_migrations "
      "IS 'strata history, layout 1'");
  const ProcessResult history = folder.tool(db, {"history", "--json"});
  REQUIRE(history.exit_code == 0);
  CHECK(strata::test::parse_json(history.out).get<std::string>("history..version") == "1");
  const ProcessResult status = folder.tool(db, {"status", "--json"});
  REQUIRE(status.exit_code == 0);
  CHECK(strata::test::states(status.out)[0].second == "applied");
  folder.up("2_b.up.sql", "CREATE TABLE b (id int);\n");
  REQUIRE(folder.tool(db, {"up"}).exit_code == 0);
  CHECK(conn.exec("SELECT obj_description('strata_migrations'::regclass, 'pg_class')").text(0, 0) ==
        "strata history, layout 2");
  CHECK(conn.exec("SELECT count(*) FROM strata_migrations WHERE adopted_from IS NULL").text(0, 0) ==
        "2");
}
