// `strata replay`: every migration applied to a scratch database by the real Migrator, each down
// proved against the schema before its up, failures at file:line:col, the schema snapshot, and
// the embedded server strata starts itself.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "pq/conninfo_text.hpp"
#include "replay_support.hpp"
#include "support/database.hpp"

using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;

namespace fs = std::filesystem;

using strata::test::replay_test::Folder;
using strata::test::replay_test::read;
using strata::test::replay_test::replay;

TEST_CASE("replay reports a missing table at its file, line and column with the SQLSTATE",
          "[cli][db][replay]") {
  TempDatabase server;
  Folder folder{server.name() + "-missing"};
  folder.write("1_" + server.name() + ".sql",
               "-- migrate:up\nCREATE TABLE t_" + server.name() + " (id int);\n");
  folder.write("2_orders.sql",
               "-- migrate:up\nCREATE TABLE orders (id int);\n"
               "INSERT INTO orders SELECT id FROM user_list;\n");
  const ProcessResult result = replay(folder, server);
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find(folder.dir() + "/2_orders.sql:3:35: error: relation \"user_list\" does "
                                       "not exist [42P01]") != std::string::npos);
}

TEST_CASE("replay names the migration whose down leaves a table behind", "[cli][db][replay]") {
  TempDatabase server;
  Folder folder{server.name() + "-down"};
  folder.write("1_a.sql", "-- migrate:up\nCREATE TABLE a_" + server.name() +
                              " (id int);\n-- migrate:down\nDROP TABLE a_" + server.name() + ";\n");
  folder.write("2_b.sql",
               "-- migrate:up\nCREATE TABLE b (id int);\nCREATE TABLE b_log (id int);\n"
               "-- migrate:down\nDROP TABLE b;\n");
  folder.write("3_c.sql", "-- migrate:up\nCREATE VIEW c AS SELECT id FROM b;\n");
  const ProcessResult result = replay(folder, server);
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("2_b.sql:5:1: error: 2_b: the down leaves table public.b_log") !=
        std::string::npos);
  CHECK(result.err.find("1_a: the down") == std::string::npos);
  // The replay goes on after it, from a database migrated afresh: the next one is checked too.
  CHECK(result.err.find("3_c.sql:1:1: note: 3_c: irreversible (no down SQL)") != std::string::npos);
  CHECK(result.err.find("3_c.sql:1:1: error") == std::string::npos);
}

TEST_CASE("replay proves the downs on a scratch server whose role may not create event triggers",
          "[cli][db][replay]") {
  TempDatabase server;
  const std::string role = "plain_" + server.name();
  strata::pq::Connection admin{server.url()};
  static_cast<void>(admin.exec("CREATE ROLE " + role + " LOGIN CREATEDB"));
  Folder folder{server.name() + "-plain"};
  folder.write("1_a.sql", "-- migrate:up\nCREATE TABLE a_" + server.name() +
                              " (id int);\n-- migrate:down\nDROP TABLE a_" + server.name() + ";\n");
  folder.write("2_b.sql",
               "-- migrate:up\nCREATE TABLE b (id int);\nCREATE TABLE b_log (id int);\n"
               "-- migrate:down\nDROP TABLE b;\n");
  const ProcessResult result = strata_tool(
      std::vector<std::string>{"replay", "-d", folder.dir(), "-v", "--scratch-url",
                               strata::pq::rewrite_conninfo(server.url(), {{"user", role}})});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("may not create event triggers") != std::string::npos);
  CHECK(result.err.find("2_b.sql:5:1: error: 2_b: the down leaves table public.b_log") !=
        std::string::npos);
  CHECK(result.err.find("1_a: the down") == std::string::npos);
  static_cast<void>(admin.exec("DROP OWNED BY " + role + "; DROP ROLE " + role));
}

TEST_CASE("replay goes on from the up applied again after a down that leaves a table",
          "[cli][db][replay]") {
  TempDatabase server;
  Folder folder{server.name() + "-again"};
  // 'now' in a view is folded into the time the view is created, so the view 2_b's down creates
  // again differs from 1_a's by that time alone: it is restored all the same.
  const std::string view = "CREATE VIEW recent AS SELECT id FROM a WHERE at > 'now'::timestamp;\n";
  folder.write("1_a.sql", "-- migrate:up\nCREATE TABLE a (id int, at timestamp);\n" + view +
                              "-- migrate:down\nDROP VIEW recent;\nDROP TABLE a;\n");
  folder.write("2_b.sql",
               "-- migrate:up\nDROP VIEW recent;\nCREATE TABLE b (id int);\n"
               "CREATE TABLE IF NOT EXISTS b_log (id int);\n"
               "-- migrate:down\nDROP TABLE b;\n" +
                   view);
  folder.write("3_c.sql",
               "-- migrate:up\nCREATE VIEW c AS SELECT id FROM b JOIN b_log USING (id);\n"
               "-- migrate:down\nDROP VIEW c;\n");
  const ProcessResult result = replay(folder, server);
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("2_b.sql:6:1: error: 2_b: the down leaves table public.b_log") !=
        std::string::npos);
  CHECK(result.err.find("recent") == std::string::npos);
  CHECK(result.err.find("replay: 2 applied again on top of what its down left gives the same "
                        "schema: going on from there") != std::string::npos);
  CHECK(result.err.find("1_a.sql") == std::string::npos);
  CHECK(result.err.find("3_c.sql") == std::string::npos);
  CHECK(result.err.find("replay: 1 error in the migrations") != std::string::npos);
}

TEST_CASE("replay proves downs that restore types, triggers, functions and renamed columns",
          "[cli][db][replay]") {
  TempDatabase server;
  Folder folder{server.name() + "-good"};
  folder.write("1_a.sql", "-- migrate:up\nCREATE TABLE a_" + server.name() +
                              " (id int PRIMARY KEY, name text NOT NULL DEFAULT '');\n"
                              "CREATE INDEX ON a_" +
                              server.name() + " (name);\n-- migrate:down\nDROP TABLE a_" +
                              server.name() + ";\n");
  folder.write("2_b.sql",
               "-- migrate:up\nCREATE TYPE mood AS ENUM ('sad', 'ok');\n"
               "CREATE TABLE b (id serial PRIMARY KEY, m mood, a_id int REFERENCES a_" +
                   server.name() +
                   " (id));\n"
                   "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; "
                   "END $$;\nCREATE TRIGGER t BEFORE INSERT ON b FOR EACH ROW EXECUTE FUNCTION "
                   "f();\nALTER TABLE a_" +
                   server.name() + " RENAME COLUMN name TO title;\n" + "ALTER TABLE a_" +
                   server.name() + " ALTER COLUMN id TYPE bigint;\n" +
                   "-- migrate:down\nALTER TABLE a_" + server.name() +
                   " ALTER COLUMN id TYPE int;\nALTER TABLE a_" + server.name() +
                   " RENAME COLUMN title TO name;\nDROP TABLE b;\nDROP FUNCTION f();\n"
                   "DROP TYPE mood;\n");
  const ProcessResult first = replay(folder, server);
  INFO(first.err);
  CHECK(first.exit_code == 0);
  CHECK(first.out.find("2 proved reversible, 0 irreversible, 0 proved before") !=
        std::string::npos);
  CHECK(first.err.find("tracking missed") == std::string::npos);
  CHECK(first.err.find("replayed 2 of 2 migrations (0 from a verified template)") !=
        std::string::npos);

  // Appending one migration proves only that one: the first two come from their template.
  folder.write("3_c.sql",
               "-- migrate:up\nCREATE TABLE c (id int);\n-- migrate:down\n"
               "DROP TABLE c;\n");
  const ProcessResult second = replay(folder, server);
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.err.find("replayed 1 of 3 migrations (2 from a verified template)") !=
        std::string::npos);
}

TEST_CASE("replay writes the same schema snapshot twice and fails on a stale one",
          "[cli][db][replay]") {
  TempDatabase server;
  Folder folder{server.name() + "-snapshot"};
  folder.write("1_a.sql", "-- migrate:up\nCREATE TABLE s_" + server.name() + " (id int);\n");
  const std::string first = folder.file("first.sql");
  const std::string second = folder.file("second.sql");
  REQUIRE(replay(folder, server, {"--write-schema", first}).exit_code == 0);
  REQUIRE(replay(folder, server, {"--write-schema", second}).exit_code == 0);
  CHECK(read(first) == read(second));
  CHECK(read(first).find("CREATE TABLE public.s_" + server.name()) != std::string::npos);
  CHECK(read(first).find("\\restrict") == std::string::npos);
  CHECK(replay(folder, server, {"--check-schema", first}).exit_code == 0);

  folder.write("2_b.sql", "-- migrate:up\nCREATE TABLE more (id int);\n");
  const ProcessResult stale = replay(folder, server, {"--check-schema", first});
  INFO(stale.err);
  CHECK(stale.exit_code == 1);
  CHECK(stale.err.find(first + ":") != std::string::npos);
  CHECK(stale.err.find("error: the schema snapshot is out of date") != std::string::npos);
  CHECK(stale.err.find("update it: strata replay --migrations-dir " + folder.dir() +
                       " --write-schema " + first) != std::string::npos);
}

TEST_CASE("replay starts its own scratch server when no scratch URL is given, and stops it",
          "[cli][db][replay]") {
  TempDatabase server;  // only for a unique name
  Folder folder{server.name() + "-embedded"};
  folder.write("1_a.sql",
               "-- migrate:up\nCREATE TABLE e (id int);\n-- migrate:down\n"
               "DROP TABLE e;\n");
  const std::string cache = folder.file("cache");
  const ProcessResult first =
      strata_tool({"replay", "-d", folder.dir(), "--scratch-dir", cache, "-v"});
  INFO(first.err);
  CHECK(first.exit_code == 0);
  CHECK(first.err.find("initialised the scratch cluster in ") != std::string::npos);
  CHECK(first.out.find("1 proved reversible") != std::string::npos);
  CHECK_FALSE(fs::exists(fs::path{cache} / "data" / "postmaster.pid"));
  const ProcessResult again =
      strata_tool({"replay", "-d", folder.dir(), "--scratch-dir", cache, "-v"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("initialised") == std::string::npos);
  CHECK(again.err.find("(1 from a verified template)") != std::string::npos);
}
