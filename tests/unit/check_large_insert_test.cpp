// Large INSERT … VALUES statements: syntax-checked a chunk of rows at a time, without the rows'
// parse tree, yet reported and located exactly like any other statement.
#include <string>

#include <catch2/catch.hpp>

#include "check/large_inserts.hpp"
#include "compiler_fixture.hpp"

using strata::generator::find_values_rows;
using strata::test::TempFolder;

namespace {

// `-- migrate:up`, then `INSERT INTO big (n, s) VALUES` on line 2, row k (1-based) on line k + 2:
// `(k, 'row k; with ),( inside')`, then `tail;` on the line after the last row. The statement is
// well over the large-statement size.
std::string big_insert(int rows, const std::string& tail = "", const std::string& bad_row = "",
                       int bad_at = 0) {
  std::string text = "-- migrate:up\nINSERT INTO big (n, s) VALUES\n";
  for (int k = 1; k <= rows; ++k) {
    const std::string row = k == bad_at ? bad_row
                                        : "(" + std::to_string(k) + ", 'row " + std::to_string(k) +
                                              "; with ),( inside')";
    text += row + (k < rows ? ",\n" : "\n");
  }
  return text + tail + ";\n";
}

constexpr int rows = 30000;  // ~0.9 MB

}  // namespace

TEST_CASE("A large INSERT … VALUES compiles to one statement and the checks still see the rest",
          "[check]") {
  TempFolder root;
  const std::string up = big_insert(rows);
  REQUIRE(up.size() > strata::generator::large_statement_bytes);
  root.write("m/1_big.sql", "-- migrate:up\nCREATE TABLE big (n int, s text);\n" + up.substr(14) +
                                "SELECT 1;\n-- migrate:down\nDROP TABLE big;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  const strata::Migration migration = run.set()[0];
  REQUIRE(migration.up.statements.size() == 3);
  const strata::Statement insert = migration.up.statements[1];
  CHECK(insert.line == 3);
  const std::string_view text = migration.up.sql.substr(insert.offset, insert.length);
  CHECK(text.starts_with("INSERT INTO big (n, s) VALUES\n(1, "));
  CHECK(text.ends_with("'row 30000; with ),( inside')"));
  CHECK(migration.up.statements[2].line == rows + 5);

  // A statement after the large one is parsed and checked like any other.
  TempFolder later;
  later.write("m/1_big.sql", up + "CREATE INDEX CONCURRENTLY i ON big (n);\n");
  const auto refused = compile_folder(later);
  CHECK_FALSE(refused.ok());
  CHECK(refused.has("m/1_big.sql", rows + 4, 1, "error", "strata-E302"));
}

TEST_CASE("A syntax error deep in a large INSERT's rows is E201 at its line and column",
          "[check][diagnostics]") {
  TempFolder root;
  root.write("m/1_big.sql", big_insert(rows, "", "(25000,, 'x')", 25000));
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_big.sql", 25002, 8, "error", "strata-E201"));
  CHECK(run.count("error") == 1);
}

TEST_CASE("A syntax error after a large INSERT's rows is E201 at its line and column",
          "[check][diagnostics]") {
  TempFolder root;
  root.write("m/1_big.sql", big_insert(rows, "ON CONFLICT DO NOTHNG"));
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_big.sql", rows + 3, 16, "error", "strata-E201"));
  CHECK(run.count("error") == 1);

  TempFolder fine;
  fine.write("m/1_big.sql", big_insert(rows, "ON CONFLICT DO NOTHING RETURNING n"));
  CHECK(compile_folder(fine).ok());
}

TEST_CASE("Only an INSERT whose source is a top-level VALUES list takes the chunked path",
          "[check]") {
  CHECK_FALSE(find_values_rows("SELECT 1"));
  CHECK_FALSE(find_values_rows("INSERT INTO t SELECT * FROM (VALUES (1), (2)) AS v"));
  CHECK_FALSE(find_values_rows("INSERT INTO t DEFAULT VALUES"));
  CHECK_FALSE(find_values_rows("WITH v AS (SELECT 1) INSERT INTO t VALUES (1)"));
  CHECK_FALSE(find_values_rows("INSERT INTO \"values\" SELECT 1"));

  const std::string_view statement =
      "insert into \"VALUES\" (\"values\") values (1), ('a,b)') "
      "ON CONFLICT DO NOTHING";
  const auto rows = find_values_rows(statement);
  REQUIRE(rows);
  CHECK(statement.substr(rows->rows_begin, rows->first_row_end - rows->rows_begin) == "(1)");
  CHECK(statement.substr(rows->rows_end) == " ON CONFLICT DO NOTHING");
}
