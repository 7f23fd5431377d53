// Parse checks: syntax errors at the offending token, non-SQL with a hint, function bodies, and
// the `-- strata:unchecked` escape hatch.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::test::TempFolder;

TEST_CASE("A syntax error is E201 at the offending token, columns counted in characters",
          "[check][diagnostics]") {
  TempFolder root;
  root.write("m/20220330110026_initial_tables.sql",
             "-- migrate:up\nCREATE TABLE users (\n    name text DEFAULT 'é€',\n"
             "    email VARCHAR NOT NULL,, \n);\n-- migrate:down\nDROP TABLE users;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/20220330110026_initial_tables.sql", 4, 28, "error", "strata-E201"));
  CHECK(run.output.find("syntax error at or near \",\" [strata-E201]\n"
                        "        email VARCHAR NOT NULL,, \n"
                        "                               ^\n") != std::string::npos);
}

TEST_CASE("Every failing statement of a section is reported, and the rest still checked",
          "[check][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "SELECT 1;\nSELEC 2;\nSELECT 3;\nCREATE TABLE t (a int,);\n"
             "CREATE INDEX CONCURRENTLY i ON t (a);\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 2, 1, "error", "strata-E201"));
  CHECK(run.has("m/1_a.sql", 4, 23, "error", "strata-E201"));
  CHECK(run.has("m/1_a.sql", 5, 1, "error", "strata-E302"));
  CHECK(run.count("error") == 3);
}

TEST_CASE("psql meta-commands and variables are E202 with a hint saying what they are",
          "[check][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n\\set ON_ERROR_STOP on\n");
  root.write("m/2_b.sql", "SELECT 1;\n  \\i other.sql\n");
  root.write("m/3_c.sql", "SELECT * FROM t WHERE id = :id;\n");
  root.write("m/4_d.sql", "CREATE TABLE t (a int);\nCOPY t (a) FROM stdin;\n1\n2\n\\.\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 2, 1, "error", "strata-E202"));
  CHECK(run.has("m/2_b.sql", 2, 3, "error", "strata-E202"));
  CHECK(run.has("m/3_c.sql", 1, 28, "error", "strata-E202"));
  CHECK(run.output.find("psql meta-command `\\set` is not SQL") != std::string::npos);
  CHECK(run.has("m/4_d.sql", 3, 1, "error", "strata-E202"));
  CHECK(run.output.find("COPY … FROM stdin data is psql input, not SQL") != std::string::npos);
  CHECK(run.output.find("hint: meta-commands (\\set, \\i") != std::string::npos);
}

TEST_CASE("Template placeholders are E203, also inside quoted names and function bodies",
          "[check][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql", "CREATE TABLE {{ .Schema }}.users (id int);\n");
  root.write("m/2_b.sql", "CREATE TABLE \"{{ index .Options \"Namespace\" }}\".t (id int);\n");
  root.write("m/3_c.sql",
             "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n"
             "  RETURN {{ .x }};\nEND $$;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 1, 14, "error", "strata-E203"));
  CHECK(run.has("m/2_b.sql", 1, 15, "error", "strata-E203"));
  CHECK(run.has("m/3_c.sql", 3, 10, "error", "strata-E203"));
}

TEST_CASE("PL/pgSQL bodies are compiled; an error is E204 at the token in the body",
          "[check][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "SELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n"
             "  SELEC 1;\n  RETURN 1;\nEND $$;\n");
  root.write("m/2_b.sql", "DO $$\nBEGIN\n  IF true THEN\n  END;\nEND $$;\n");
  root.write("m/3_c.sql", "DO $body$ BEGIN PERFORM 1; END $body$;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 4, 3, "error", "strata-E204"));
  CHECK(run.has("m/2_b.sql", 4, 6, "error", "strata-E204"));
  CHECK_FALSE(run.has("m/3_c.sql", 0, 0, "error", "strata-E204"));
}

TEST_CASE("A LANGUAGE sql body given as a string is parsed; an error is E205",
          "[check][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n  SELEC 1\n$$;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 2, 3, "error", "strata-E205"));
}

TEST_CASE("SQL-standard function bodies (BEGIN ATOMIC, RETURN) are accepted without crashing",
          "[check]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\n"
             "BEGIN ATOMIC\n  SELECT a + b;\n  SELECT a + b + 1;\nEND;\n"
             "CREATE FUNCTION one() RETURNS int LANGUAGE sql RETURN 1;\n"
             "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  const auto& statements = run.set()[0].up.statements;
  REQUIRE(statements.size() == 3);
  CHECK(statements[0].line == 1);
  CHECK(statements[1].line == 6);
  CHECK(statements[2].line == 7);
}

TEST_CASE("`-- strata:unchecked` directly above a statement skips its parse check, with a note",
          "[check][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "CREATE TABLE t (a int);\n-- PostgreSQL 18:\n-- strata:unchecked\n"
             "ALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a;\nSELECT 1;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  CHECK(run.has("m/1_a.sql", 4, 1, "note", "strata-N201"));
  const auto& statements = run.set()[0].up.statements;
  REQUIRE(statements.size() == 3);
  CHECK(statements[1].line == 4);
  CHECK(run.set()[0].up.sql.substr(statements[1].offset, statements[1].length) ==
        "ALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a");
}

TEST_CASE("The escape hatch covers only the statement directly below it", "[check][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- strata:unchecked\n\nALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a;\n"
             "-- strata:unchecked\nSELECT 1;\nALTER TABLE t ADD CONSTRAINT b_nn NOT NULL b;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 3, 35, "error", "strata-E201"));
  CHECK(run.has("m/1_a.sql", 6, 35, "error", "strata-E201"));
  CHECK(run.has("m/1_a.sql", 5, 1, "note", "strata-N201"));
}

TEST_CASE("Statements record their byte range and the line of their first token", "[check]") {
  TempFolder root;
  root.write("m/1_a.sql", "-- header\n\n/* block\n comment */ SELECT 'é';  SELECT 2\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  const auto& up = run.set()[0].up;
  REQUIRE(up.statements.size() == 2);
  CHECK(up.sql.substr(up.statements[0].offset, up.statements[0].length) == "SELECT 'é'");
  CHECK(up.statements[0].line == 4);
  CHECK(up.sql.substr(up.statements[1].offset, up.statements[1].length) == "SELECT 2");
  CHECK(up.statements[1].line == 4);
}

TEST_CASE("Diagnostics of a large folder come out in migration order, every one of them",
          "[check][diagnostics]") {
  // Enough migrations for the checks to run on several threads; each has one error and one
  // statement that parses, so a lost, doubled or reordered diagnostic shows.
  TempFolder root;
  constexpr int count = 300;
  for (int i = 1; i <= count; ++i) {
    root.write("m/" + std::to_string(i) + "_m.sql",
               "SELECT " + std::to_string(i) + ";\nSELEC 1;\n");
  }
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  std::vector<std::string> files;
  for (const auto& diagnostic : run.diagnostics) {
    if (diagnostic.id == "strata-E201")
      files.push_back(diagnostic.file);
  }
  std::vector<std::string> expected;
  for (int i = 1; i <= count; ++i)
    expected.push_back("m/" + std::to_string(i) + "_m.sql");
  CHECK(files == expected);
}
