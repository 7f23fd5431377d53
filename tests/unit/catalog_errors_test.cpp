// Catalog errors: each at its file and line, with its stable id.
#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::test::TempFolder;

TEST_CASE("A .sql name that fits no form is E101 at the file", "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/create_users.sql", "SELECT 1;\n");
  root.write("m/V__no_version.sql", "SELECT 1;\n");
  root.write("m/R1__versioned_routine.sql", "SELECT 1;\n");
  root.write("m/7.sql", "SELECT 1;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/create_users.sql", 0, 0, "error", "strata-E101"));
  CHECK(run.has("m/V__no_version.sql", 0, 0, "error", "strata-E101"));
  CHECK(run.has("m/R1__versioned_routine.sql", 0, 0, "error", "strata-E101"));
  CHECK(run.has("m/7.sql", 0, 0, "error", "strata-E101"));
  CHECK(run.output.find("hint: rename the file, or exclude it with --ignore 'create_users.sql'") !=
        std::string::npos);
}

TEST_CASE("Two migrations with equal versions are E102 at the second", "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/01_a.sql", "SELECT 1;\n");
  root.write("m/1_b.up.sql", "SELECT 1;\n");
  root.write("m/V3__x.sql", "SELECT 1;\n");
  root.write("m/V3.0__y.sql", "SELECT 1;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_b.up.sql", 0, 0, "error", "strata-E102"));
  CHECK(run.has("m/V3__x.sql", 0, 0, "error", "strata-E102"));
}

TEST_CASE("A down with no up is E103", "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.down.sql", "DROP TABLE a;\n");
  root.write("m/2_b.sql", "-- migrate:down\nDROP TABLE b;\n-- migrate:up\nCREATE TABLE b ();\n");
  root.write("m/3_c/down.sql", "DROP TABLE c;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.down.sql", 0, 0, "error", "strata-E103"));
  CHECK(run.has("m/2_b.sql", 1, 1, "error", "strata-E103"));
  CHECK(run.has("m/3_c/down.sql", 0, 0, "error", "strata-E103"));
}

TEST_CASE("Text before the first marker is E104 at its line and column", "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- a comment is fine\n\n  CREATE TYPE s AS ENUM ('a');\n-- migrate:up\nSELECT 1;\n"
             "-- migrate:down\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 3, 3, "error", "strata-E104"));
}

TEST_CASE("A second up or down marker is E105 at its line", "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n-- migrate:down\nSELECT 3;\n");
  root.write("m/2_b.sql", "-- migrate:up\nSELECT 1;\n--migrate:up\nSELECT 2;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 5, 1, "error", "strata-E105"));
  CHECK(run.has("m/2_b.sql", 3, 1, "error", "strata-E105"));
}

TEST_CASE("An unknown marker option is E106 at the option", "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql", "-- migrate:up transaction:false retries:3\nSELECT 1;\n");
  root.write("m/2_b.sql", "-- migrate:up transaction:FALSE\nSELECT 1;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 1, 33, "error", "strata-E106"));
  CHECK(run.has("m/2_b.sql", 1, 15, "error", "strata-E106"));
}

TEST_CASE("A dbmate file whose up section holds no statement is warning W109 at the marker",
          "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql", "-- migrate:up\n-- only a comment\n-- migrate:down\nDROP TABLE a;\n");
  const auto run = compile_folder(root);
  CHECK(run.ok());
  CHECK(run.has("m/1_a.sql", 1, 1, "warning", "strata-W109"));
}

TEST_CASE("Markers are case-sensitive and at column 0; look-alikes are comments", "[catalog]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- migrate:up\n -- migrate:down\n-- MIGRATE:DOWN\n-- migrate:upgrade\nSELECT 1;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  CHECK_FALSE(run.set()[0].down.present());
}

TEST_CASE("Non-UTF-8 bytes and NUL bytes are E108 at their line and column",
          "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\nSELECT 'caf\xE9';\n");
  root.write("m/2_b.sql", std::string{"SELECT 'é';\nSELECT '\0';\n", 25});
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 2, 12, "error", "strata-E108"));
  CHECK(run.has("m/2_b.sql", 2, 9, "error", "strata-E108"));
}

TEST_CASE("A missing migrations folder is E111", "[catalog][diagnostics]") {
  TempFolder root;
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m", 0, 0, "error", "strata-E111"));
}

TEST_CASE("Errors of every file are reported in one run", "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELEC 1;\n");
  root.write("m/2_b.sql", "SELECT 1;\nSELEC 2;\n");
  root.write("m/bad name.sql", "SELECT 1;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.count("error") == 3);
  CHECK(run.output.find("3 errors in migrations") != std::string::npos);
}
