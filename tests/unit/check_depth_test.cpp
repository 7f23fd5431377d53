// Deeply nested statements: what the server accepts with its default max_stack_depth passes, and
// deeper is the server's own "stack depth limit exceeded" at the statement, never a crash.
// Measured on PostgreSQL 15 (2MB max_stack_depth): 4,092 `+` terms and 7,274 UNION ALL branches
// are the most it accepts.
#include <string>

#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::test::compile_folder;
using strata::test::TempFolder;

namespace {
std::string terms(std::size_t count) {
  std::string sql = "1";
  for (std::size_t i = 1; i < count; ++i)
    sql += "+1";
  return sql;
}

std::string union_all(std::size_t branches) {
  std::string sql = "SELECT 0";
  for (std::size_t i = 1; i < branches; ++i)
    sql += " UNION ALL SELECT " + std::to_string(i);
  return sql;
}
}  // namespace

TEST_CASE("A view of 2,500 UNION ALL branches and an expression of 1,500 terms pass",
          "[check][depth]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "CREATE VIEW v AS " + union_all(2'500) + ";\nSELECT " + terms(1'500) + ";\n");
  const auto run = compile_folder(root);
  INFO(run.output.substr(0, 2'000));
  REQUIRE(run.ok());
  CHECK(run.count("error") == 0);
  CHECK(run.set()[0].up.statements.size() == 2);
}

TEST_CASE("The deepest statements the server accepts pass, and more", "[check][depth]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT " + terms(4'092) + ";\n" + union_all(7'274) + ";\n" +
                              union_all(20'000) + ";\nSELECT " + terms(20'000) +
                              ";\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT " +
                              terms(7'693) + " $$;\n");
  const auto run = compile_folder(root);
  INFO(run.output.substr(0, 2'000));
  REQUIRE(run.ok());
  CHECK(run.count("error") == 0);
}

TEST_CASE("100,000 terms are 'stack depth limit exceeded' at the statement, the rest still checked",
          "[check][depth]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n  SELECT " + terms(100'000) +
                              ";\nSELEC 2;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n"
                              "  SELECT " +
                              terms(100'000) + "\n$$;\n" + union_all(100'000) + ";\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 2, 3, "error", "strata-E201"));
  CHECK(run.has("m/1_a.sql", 3, 1, "error", "strata-E201"));
  CHECK(run.has("m/1_a.sql", 5, 3, "error", "strata-E205"));
  CHECK(run.has("m/1_a.sql", 7, 1, "error", "strata-E201"));
  CHECK(run.count("error") == 4);
  CHECK(run.output.find("error: stack depth limit exceeded [strata-E201]") != std::string::npos);
  CHECK(run.output.find("error: SQL function body: stack depth limit exceeded [strata-E205]") !=
        std::string::npos);
  // Not newer syntax: the hint does not suggest it.
  CHECK(run.output.find("newer") == run.output.rfind("newer"));
}

TEST_CASE("Nesting kept flat by the parser is not counted as depth", "[check][depth]") {
  // 30,000 ANDed comparisons, a 30,000-element IN list and 30,000 VALUES rows with a sign each:
  // flat lists in the parse tree, however long.
  std::string conditions = "x = 0";
  std::string list = "0";
  std::string rows = "(-0)";
  for (int i = 1; i < 30'000; ++i) {
    conditions += " AND x = " + std::to_string(i);
    list += ", " + std::to_string(i);
    rows += ", (-" + std::to_string(i) + ')';
  }
  TempFolder root;
  root.write("m/1_a.sql", "CREATE TABLE t (x int);\nSELECT * FROM t WHERE " + conditions +
                              ";\nSELECT * FROM t WHERE x IN (" + list +
                              ");\nINSERT INTO t VALUES " + rows + ";\n");
  const auto run = compile_folder(root);
  INFO(run.output.substr(0, 2'000));
  REQUIRE(run.ok());
  CHECK(run.count("error") == 0);
}
