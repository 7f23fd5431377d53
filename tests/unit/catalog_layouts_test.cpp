// The version layouts other tools' users already have, and the order each form runs in: as its own
// tool runs it, with a warning where a folder mixes forms whose rules disagree.
#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::test::TempFolder;

namespace {
std::vector<std::string> names(const strata::MigrationSet& set) {
  std::vector<std::string> result;
  for (const auto& migration : set)
    result.emplace_back(std::string{migration.version} + " " + std::string{migration.name});
  return result;
}
}  // namespace

TEST_CASE(
    "YYYYMMDD_HHMMSS_name reads as one 14-digit version, so two files of a day do not collide",
    "[catalog]") {
  TempFolder root;
  root.write("m/20260213_000000_create_users.sql", "CREATE TABLE users (id int);\n");
  root.write("m/20260213_120530_add_user_settings_table.sql", "CREATE TABLE settings (id int);\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  REQUIRE(run.ok());
  CHECK(names(run.set()) == std::vector<std::string>{"20260213000000 create_users",
                                                     "20260213120530 add_user_settings_table"});
  // An 8-digit date followed by anything but `_<6 digits>_` stays an 8-digit version.
  TempFolder other;
  other.write("m/20260214_init.sql", "SELECT 1;\n");
  other.write("m/20260215_12345_short.sql", "SELECT 2;\n");
  const auto dates = compile_folder(other);
  INFO(dates.output);
  REQUIRE(dates.ok());
  CHECK(names(dates.set()) == std::vector<std::string>{"20260214 init", "20260215 12345_short"});
}

TEST_CASE("A dashed Diesel version in a file name reads as it does in a folder name", "[catalog]") {
  TempFolder root;
  root.write("m/2024-01-01-000000_a.sql", "SELECT 1;\n");
  root.write("m/2024-01-02-000000_b.sql", "SELECT 2;\n");
  root.write("m/0000-init_schema.up.sql", "SELECT 0;\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  REQUIRE(run.ok());
  CHECK(names(run.set()) ==
        std::vector<std::string>{"0000 init_schema", "2024-01-01-000000 a", "2024-01-02-000000 b"});
}

TEST_CASE("Diesel folders run in Diesel's order: text with dashes removed", "[catalog]") {
  TempFolder root;
  // A hand-typed 13-digit version: Diesel compares "2020127190800" and "20201215000000" as text.
  root.write("m/2020-12-7-190800_second/up.sql", "ALTER TABLE t ADD COLUMN b int;\n");
  root.write("m/2020-12-15-000000_first/up.sql", "CREATE TABLE t (a int);\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  REQUIRE(run.ok());
  CHECK(names(run.set()) ==
        std::vector<std::string>{"2020-12-15-000000 first", "2020-12-7-190800 second"});
  CHECK(run.count("warning") == 0);
}

TEST_CASE("dbmate files run in file-name order, as dbmate runs them", "[catalog]") {
  TempFolder root;
  root.write("m/1_one.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n");
  root.write("m/10_ten.sql", "-- migrate:up\nSELECT 10;\n-- migrate:down\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  REQUIRE(run.ok());
  CHECK(names(run.set()) == std::vector<std::string>{"10 ten", "1 one"});
}

TEST_CASE("A folder mixing forms orders by number and warns where a form's tool disagrees",
          "[catalog]") {
  TempFolder root;
  root.write("m/1_one.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n");
  root.write("m/10_ten.sql", "-- migrate:up\nSELECT 10;\n-- migrate:down\n");
  root.write("m/5_five.sql", "SELECT 5;\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  REQUIRE(run.ok());
  CHECK(names(run.set()) == std::vector<std::string>{"1 one", "5 five", "10 ten"});
  CHECK(run.has("m/10_ten.sql", 0, 0, "warning", "strata-W101"));
}

TEST_CASE("A Diesel folder without `_` is a migration, never skipped", "[catalog]") {
  TempFolder root;
  root.write("m/2023-05-22-000000_create/up.sql", "CREATE TABLE a (id int);\n");
  root.write("m/2023-05-23-1715-update-assignment/up.sql", "ALTER TABLE a ADD COLUMN b int;\n");
  root.write("m/2023-05-23-1715-update-assignment/down.sql", "ALTER TABLE a DROP COLUMN b;\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  REQUIRE(run.ok());
  REQUIRE(run.set().size() == 2);
  CHECK(run.set()[1].version == "2023-05-23-1715");
  CHECK(run.set()[1].name == "update-assignment");
  CHECK(run.set()[1].down.present());
}

TEST_CASE("A folder holding up.sql whose name fits no form is an error unless ignored",
          "[catalog]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n");
  root.write("m/update_assignment/up.sql", "SELECT 2;\n");
  root.write("m/seeds/data.sql", "a folder without up.sql is not ours");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/update_assignment", 0, 0, "error", "strata-E101"));
  strata::generator::SourceOptions options;
  options.ignore_globs = {"update_*"};
  CHECK(compile_folder(root, options).ok());
}
