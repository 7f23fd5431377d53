// Routine files: what they may hold, the DROPs derived for their first rollback, and one
// definition per object across files.
#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::test::TempFolder;

TEST_CASE("A routine file may hold only re-runnable definitions, comments, grants and drops",
          "[check][routine]") {
  TempFolder root;
  root.write("m/1_a.sql", "CREATE TABLE users (id int);\n");
  root.write(
      "r/ok.sql",
      "DROP FUNCTION IF EXISTS old_f(int);\n"
      "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n"
      "CREATE OR REPLACE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN END $$;\n"
      "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n"
      "CREATE OR REPLACE TRIGGER t AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION "
      "tf();\n"
      "CREATE OR REPLACE AGGREGATE agg(int) (sfunc = int4pl, stype = int);\n"
      "COMMENT ON FUNCTION f(int) IS 'doubles';\nGRANT EXECUTE ON FUNCTION f(int) TO public;\n"
      "REVOKE ALL ON FUNCTION f(int) FROM public;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  CHECK(run.count("error") == 0);
}

TEST_CASE("Anything else in a routine file is E401 at its line", "[check][routine]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n");
  root.write("r/bad.sql",
             "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\nCREATE TABLE t (id int);\n"
             "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP VIEW w;\n"
             "  INSERT INTO t VALUES (1);\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("r/bad.sql", 2, 1, "error", "strata-E401"));
  CHECK(run.has("r/bad.sql", 3, 1, "error", "strata-E401"));
  CHECK(run.has("r/bad.sql", 4, 1, "error", "strata-E401"));
  CHECK(run.has("r/bad.sql", 5, 3, "error", "strata-E401"));
  CHECK(run.count("error") == 4);
  CHECK(run.output.find("CREATE FUNCTION without OR REPLACE in a routine file") !=
        std::string::npos);
}

TEST_CASE("A routine's down drops what it defines, derived from the parse tree, last first",
          "[check][routine]") {
  TempFolder root;
  root.write("m/1_a.sql", "CREATE TABLE users (id int);\n");
  root.write("r/insert_user.sql",
             "CREATE OR REPLACE FUNCTION app.insert_user(name text, OUT id int, VARIADIC tags "
             "text[]) LANGUAGE plpgsql AS $$ BEGIN id := 1; END $$;\n"
             "CREATE OR REPLACE VIEW app.user_names AS SELECT 1 AS one;\n"
             "CREATE OR REPLACE TRIGGER audit AFTER INSERT ON app.users FOR EACH ROW EXECUTE "
             "FUNCTION audit();\n"
             "CREATE OR REPLACE FUNCTION total(n numeric(10,2), ts timestamp with time zone) "
             "RETURNS TABLE (x int) LANGUAGE sql RETURN 1;\n"
             "CREATE OR REPLACE AGGREGATE cnt(*) (sfunc = int8inc, stype = int8);\n"
             "CREATE OR REPLACE PROCEDURE reset(INOUT n int) LANGUAGE sql AS 'SELECT 1';\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  const auto& routine = run.set()[1];
  CHECK(routine.kind == strata::MigrationKind::routine);
  CHECK(routine.name == "insert_user");
  CHECK(routine.down.present());
  CHECK(routine.down.in_transaction);
  CHECK(routine.down.sql ==
        "DROP PROCEDURE IF EXISTS \"reset\"(INOUT \"pg_catalog\".\"int4\");\n"
        "DROP AGGREGATE IF EXISTS \"cnt\"(*);\n"
        "DROP FUNCTION IF EXISTS \"total\"(\"pg_catalog\".\"numeric\", "
        "\"pg_catalog\".\"timestamptz\");\n"
        "DROP TRIGGER IF EXISTS \"audit\" ON \"app\".\"users\";\n"
        "DROP VIEW IF EXISTS \"app\".\"user_names\";\n"
        "DROP FUNCTION IF EXISTS \"app\".\"insert_user\"(\"text\", OUT \"pg_catalog\".\"int4\", "
        "VARIADIC \"text\"[]);\n");
  REQUIRE(routine.down.statements.size() == 6);
  CHECK(routine.down.statements[0].line == 6);
  CHECK(routine.down.statements[5].line == 1);
  CHECK(routine.down.sql.substr(routine.down.statements[1].offset,
                                routine.down.statements[1].length) ==
        "DROP AGGREGATE IF EXISTS \"cnt\"(*);");
}

TEST_CASE("Two routine files defining the same object are E403 at the second definition",
          "[check][routine]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n");
  root.write("m/R__also_f.sql",
             "-- same signature as f.sql, other parameter name\n"
             "CREATE OR REPLACE FUNCTION public.f(b integer) RETURNS int LANGUAGE sql AS "
             "'SELECT b';\n");
  root.write(
      "r/f.sql",
      "CREATE OR REPLACE FUNCTION public.f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n"
      "CREATE OR REPLACE FUNCTION public.f(a text) RETURNS int LANGUAGE sql AS 'SELECT 1';\n");
  root.write("r/g.sql",
             "CREATE OR REPLACE FUNCTION g(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n");
  // A function's OUT arguments are not part of its identity.
  root.write("r/h.sql",
             "\n\nCREATE OR REPLACE FUNCTION g(a int, OUT b int) LANGUAGE sql AS 'SELECT a';\n");
  root.write("r/v.sql",
             "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n\nCREATE OR REPLACE VIEW v AS SELECT 2 "
             "AS one;\n");
  root.write("r/w.sql", "\nCREATE OR REPLACE VIEW v AS SELECT 3 AS one;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  // Routines apply by name: R__also_f.sql, then f.sql, g.sql, h.sql, v.sql, w.sql.
  CHECK(run.has("r/f.sql", 1, 1, "error", "strata-E403"));
  CHECK(run.has("r/w.sql", 2, 1, "error", "strata-E403"));
  CHECK(run.has("r/h.sql", 3, 1, "error", "strata-E403"));
  CHECK(run.count("error") == 3);
  CHECK(run.output.find("is already defined by routine file " +
                        (root.path() / "m/R__also_f.sql").string() + ":2") != std::string::npos);
}

TEST_CASE("Routines run in a transaction: transaction control and CONCURRENTLY are errors",
          "[check][routine]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n");
  root.write("r/f.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\nCOMMIT;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("r/f.sql", 2, 1, "error", "strata-E301"));
}
