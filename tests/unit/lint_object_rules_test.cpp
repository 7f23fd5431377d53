// Rules on whole statements: indexes, dropped and renamed tables, table rewrites, session
// settings, and the missing down section.
#include <catch2/catch.hpp>

#include "lint_fixture.hpp"

using strata::test::compile_folder;
using strata::test::lint_findings;
using strata::test::lint_up;
using strata::test::TempFolder;
using strata::test::warning_at;
using Findings = std::vector<std::string>;

TEST_CASE("CREATE INDEX without CONCURRENTLY on an existing table warns at its line", "[lint]") {
  const auto run =
      lint_up("SELECT 1;\n-- index it\nCREATE UNIQUE INDEX users_email ON users (email);\n");
  CHECK(lint_findings(run) == Findings{warning_at(3, "create-index-not-concurrent")});
  CHECK(run.output.find("CREATE INDEX `users_email` on `users` without CONCURRENTLY") !=
        std::string::npos);
  CHECK(run.output.find("hint: use CREATE INDEX CONCURRENTLY in a migration that runs outside "
                        "a transaction") != std::string::npos);
}

TEST_CASE("CREATE INDEX CONCURRENTLY in a migration outside a transaction does not warn",
          "[lint]") {
  const auto run =
      lint_up("-- no-transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n");
  INFO(run.output);
  CHECK(run.ok());
  CHECK(lint_findings(run).empty());
}

TEST_CASE("REINDEX without CONCURRENTLY warns, unless the table is fresh", "[lint]") {
  const auto run = lint_up("SELECT 1;\nREINDEX INDEX users_email;\nREINDEX TABLE users;\n");
  CHECK(lint_findings(run) ==
        Findings{warning_at(2, "reindex-not-concurrent"), warning_at(3, "reindex-not-concurrent")});
  CHECK(run.output.find("REINDEX of index `users_email` without CONCURRENTLY") !=
        std::string::npos);
  CHECK(lint_findings(lint_up("CREATE TABLE t (a int);\nREINDEX TABLE t;\n")).empty());
  const auto concurrent = lint_up("-- no-transaction\nREINDEX INDEX CONCURRENTLY users_email;\n");
  INFO(concurrent.output);
  CHECK(concurrent.ok());
  CHECK(lint_findings(concurrent).empty());
}

TEST_CASE("DROP TABLE warns once per existing table, not for a table created just before",
          "[lint]") {
  const auto run =
      lint_up("CREATE TABLE scratch (a int);\nDROP TABLE IF EXISTS scratch, old, s.older;\n");
  CHECK(lint_findings(run) == Findings{warning_at(2, "drop-table"), warning_at(2, "drop-table")});
  CHECK(run.output.find("dropping table `old`") != std::string::npos);
  CHECK(run.output.find("dropping table `s.older`") != std::string::npos);
  CHECK(lint_findings(lint_up("DROP INDEX i;\nDROP VIEW v;\nDROP FUNCTION f();\n")).empty());
}

TEST_CASE("Renaming an existing table or column warns", "[lint]") {
  CHECK(lint_findings(lint_up("ALTER TABLE users RENAME TO people;\n")) ==
        Findings{warning_at(1, "rename-table")});
  const auto column = lint_up("SELECT 1;\nALTER TABLE users RENAME COLUMN name TO full_name;\n");
  CHECK(lint_findings(column) == Findings{warning_at(2, "rename-column")});
  CHECK(column.output.find("renaming column `users.name` to `full_name`") != std::string::npos);
  CHECK(lint_findings(lint_up("ALTER TABLE users RENAME CONSTRAINT a TO b;\n"
                              "ALTER INDEX i RENAME TO j;\n"))
            .empty());
}

TEST_CASE("VACUUM FULL warns, plain VACUUM does not", "[lint]") {
  CHECK(lint_findings(lint_up("-- no-transaction\nVACUUM FULL users;\n")) ==
        Findings{warning_at(2, "vacuum-full")});
  CHECK(lint_findings(lint_up("-- no-transaction\nVACUUM (FULL, ANALYZE);\n")) ==
        Findings{warning_at(2, "vacuum-full")});
  CHECK(lint_findings(lint_up("-- no-transaction\nVACUUM ANALYZE users;\n")).empty());
}

TEST_CASE("CLUSTER warns unless the table is fresh", "[lint]") {
  CHECK(lint_findings(lint_up("CLUSTER users USING users_pkey;\n")) ==
        Findings{warning_at(1, "cluster")});
  CHECK(lint_findings(lint_up("CREATE TABLE t (a int PRIMARY KEY);\nCLUSTER t USING t_pkey;\n"))
            .empty());
}

TEST_CASE("SET without LOCAL warns, but SET LOCAL, SET TRANSACTION and a later RESET do not",
          "[lint]") {
  const auto run = lint_up("SET search_path = app, public;\nCREATE TABLE t (a int);\n");
  CHECK(lint_findings(run) == Findings{warning_at(1, "session-setting")});
  CHECK(run.output.find("SET search_path without LOCAL") != std::string::npos);
  CHECK(lint_findings(lint_up("SET ROLE admin;\n")) == Findings{warning_at(1, "session-setting")});
  CHECK(lint_findings(lint_up("SET LOCAL lock_timeout = '5s';\n"
                              "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\n"))
            .empty());
  CHECK(lint_findings(lint_up("SET statement_timeout = 0;\nSELECT 1;\nRESET statement_timeout;\n"))
            .empty());
  CHECK(lint_findings(lint_up("SET statement_timeout = 0;\nSET lock_timeout = 0;\nRESET ALL;\n"))
            .empty());
}

TEST_CASE("set_config(…, false) warns, set_config(…, true) does not", "[lint]") {
  CHECK(lint_findings(lint_up("SELECT pg_catalog.set_config('search_path', '', false);\n")) ==
        Findings{warning_at(1, "session-setting")});
  CHECK(lint_findings(lint_up("SELECT set_config('search_path', 'app', true);\n")).empty());
}

TEST_CASE("A schema change without a down section is a note at its first schema statement",
          "[lint]") {
  TempFolder root;
  root.write("m/1_data.sql", "INSERT INTO t VALUES (1);\n");
  root.write("m/2_schema.sql", "INSERT INTO t VALUES (1);\nCREATE TABLE u (a int);\n");
  root.write("m/3_empty.sql", "-- migrate:up\nCREATE TABLE v (a int);\n-- migrate:down\n");
  root.write("m/4_full.sql",
             "-- migrate:up\nCREATE TABLE w (a int);\n-- migrate:down\nDROP TABLE w;\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  CHECK(run.ok());
  CHECK(run.has("m/2_schema.sql", 2, 1, "note", "strata-lint-missing-down"));
  CHECK(run.has("m/3_empty.sql", 2, 1, "note", "strata-lint-missing-down"));
  CHECK(run.output.find("has no down section") != std::string::npos);
  CHECK(run.output.find("its down section is empty") != std::string::npos);
  CHECK(lint_findings(run).size() == 2);
}

TEST_CASE("Down sections and routines are not linted", "[lint]") {
  TempFolder root;
  root.write("m/1_a.up.sql", "CREATE TABLE t (a int);\n");
  root.write("m/1_a.down.sql", "DROP TABLE t;\nSET search_path = x;\n");
  root.write("r/views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS a;\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  CHECK(run.ok());
  CHECK(lint_findings(run).empty());
}

TEST_CASE("A statement not checked against the grammar is not linted", "[lint]") {
  const auto run = lint_up("-- strata:unchecked\nALTER TABLE t ALTER COLUMN a TYPE bigint;\n");
  CHECK(lint_findings(run).empty());
}

TEST_CASE("DROP TABLE IF EXISTS of a table the migration creates afterwards does not warn",
          "[lint]") {
  // The defensive drop before a temporary (or any) table the migration builds itself.
  const auto run = lint_up(
      "DROP TABLE IF EXISTS scratch;\nCREATE TEMP TABLE scratch (a int);\n"
      "DROP TABLE IF EXISTS s.copy;\nCREATE TABLE s.copy AS SELECT 1 AS a;\n"
      "DROP TABLE IF EXISTS picked;\nSELECT 1 AS a INTO TEMP picked;\n"
      "DROP TABLE IF EXISTS t.other;\nCREATE TABLE s.other (a int);\nDROP TABLE scratch;\n");
  CHECK(lint_findings(run) == Findings{warning_at(7, "drop-table")});
  CHECK(run.output.find("dropping table `t.other`") != std::string::npos);
}
