// The migration forms the catalog reads, their order, and checksums.
#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::MigrationKind;
using strata::test::TempFolder;

namespace {
std::vector<std::string> versions(const strata::MigrationSet& set) {
  std::vector<std::string> result;
  for (const auto& migration : set)
    result.emplace_back(migration.version);
  return result;
}
}  // namespace

TEST_CASE("A dbmate file is cut at its markers, each section with its own options", "[catalog]") {
  TempFolder root;
  root.write("m/20240101000000_users.sql",
             "-- leading comment\n\n-- migrate:up transaction:false\nCREATE TABLE users (id int);\n"
             "-- migrate:down\nDROP TABLE users;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  REQUIRE(run.set().size() == 1);
  const auto& m = *run.set().begin();
  CHECK(m.kind == MigrationKind::migration);
  CHECK(m.version == "20240101000000");
  CHECK(m.name == "users");
  CHECK(m.up.sql == "CREATE TABLE users (id int);\n");
  CHECK(m.up.first_line == 4);
  CHECK_FALSE(m.up.in_transaction);
  CHECK(m.down.sql == "DROP TABLE users;\n");
  CHECK(m.down.first_line == 6);
  CHECK(m.down.in_transaction);
  CHECK(m.up.path == (root.path() / "m/20240101000000_users.sql").string());
  REQUIRE(m.up.statements.size() == 1);
  CHECK(m.up.statements[0].offset == 0);
  CHECK(m.up.statements[0].length == 27);
  CHECK(m.up.statements[0].line == 4);
}

TEST_CASE("A node-pg-migrate SQL file is cut at its Up Migration and Down Migration comments",
          "[catalog]") {
  TempFolder root;
  root.write("m/1700000000000_users.sql",
             "-- Up Migration\nCREATE TABLE users (id int);\n\n"
             "  --- down migration\nDROP TABLE users;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  REQUIRE(run.set().size() == 1);
  const auto& m = *run.set().begin();
  CHECK(m.version == "1700000000000");
  CHECK(m.up.sql == "CREATE TABLE users (id int);\n\n");
  CHECK(m.up.first_line == 2);
  CHECK(m.up.in_transaction);
  CHECK(m.down.sql == "DROP TABLE users;\n");
  CHECK(m.down.first_line == 5);
}

TEST_CASE("A comment that only mentions an up migration is no marker", "[catalog]") {
  TempFolder root;
  root.write("m/1_a.sql", "-- Add up migration script here\nCREATE TABLE a (id int);\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  REQUIRE(run.set().size() == 1);
  CHECK(run.set()[0].up.sql == "-- Add up migration script here\nCREATE TABLE a (id int);\n");
  CHECK_FALSE(run.set()[0].down.present());
}

TEST_CASE("A pair of .up.sql and .down.sql files is one migration, `-` separator included",
          "[catalog]") {
  TempFolder root;
  root.write("m/0000-init_schema.up.sql", "CREATE TABLE a (id int);\n");
  root.write("m/0000-init_schema.down.sql", "-- no-transaction\nDROP TABLE a;\n");
  root.write("m/0001_second.up.sql", "CREATE TABLE b (id int);\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  REQUIRE(run.set().size() == 2);
  const auto& first = *run.set().begin();
  CHECK(first.version == "0000");
  CHECK(first.name == "init_schema");
  CHECK(first.up.in_transaction);
  CHECK(first.down.present());
  CHECK_FALSE(first.down.in_transaction);
  CHECK(first.down.statements[0].line == 2);
  CHECK_FALSE(run.set()[1].down.present());
}

TEST_CASE("A plain file is up only, and `-- no-transaction` as its first line opts out",
          "[catalog]") {
  TempFolder root;
  root.write("m/1_plain.sql", "CREATE TABLE a (id int);\n");
  root.write("m/2_concurrent.sql",
             "-- no-transaction\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  REQUIRE(run.set().size() == 2);
  CHECK(run.set()[0].up.in_transaction);
  CHECK_FALSE(run.set()[0].down.present());
  CHECK_FALSE(run.set()[1].up.in_transaction);
}

TEST_CASE("A Diesel migration folder holds up.sql, down.sql and metadata.toml", "[catalog]") {
  TempFolder root;
  root.write("m/2024-01-01-000000_create_users/up.sql", "CREATE TABLE users (id int);\n");
  root.write("m/2024-01-01-000000_create_users/down.sql", "DROP TABLE users;\n");
  root.write("m/2024-10-25-112826-0000_index/up.sql",
             "CREATE INDEX CONCURRENTLY i ON users (id);\n");
  root.write("m/2024-10-25-112826-0000_index/metadata.toml", "run_in_transaction = false\n");
  root.write("m/routines_here/not_a_migration.sql", "this folder is ignored");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  REQUIRE(run.set().size() == 2);
  CHECK(run.set()[0].version == "2024-01-01-000000");
  CHECK(run.set()[0].name == "create_users");
  CHECK(run.set()[0].down.sql == "DROP TABLE users;\n");
  CHECK(run.set()[1].version == "2024-10-25-112826-0000");
  CHECK_FALSE(run.set()[1].up.in_transaction);
}

TEST_CASE("Flyway V and U files pair up, and R__ files are routines named by their file",
          "[catalog]") {
  TempFolder root;
  root.write("m/V1_1__create.sql", "CREATE TABLE a (id int);\n");
  root.write("m/U1_1__create.sql", "DROP TABLE a;\n");
  root.write("m/V2__more.sql", "CREATE TABLE b (id int);\n");
  root.write("m/R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  REQUIRE(run.set().size() == 3);
  CHECK(run.set()[0].version == "1.1");
  CHECK(run.set()[0].name == "create");
  CHECK(run.set()[0].down.sql == "DROP TABLE a;\n");
  CHECK(run.set()[1].version == "2");
  const auto& routine = run.set()[2];
  CHECK(routine.kind == MigrationKind::routine);
  CHECK(routine.version.empty());
  CHECK(routine.name == "R__view");
}

TEST_CASE("Versions order as numbers; timestamps as text; routines come last by name",
          "[catalog]") {
  TempFolder root;
  root.write("m/10_ten.sql", "SELECT 10;\n");
  root.write("m/2_two.sql", "SELECT 2;\n");
  root.write("r/b.sql", "CREATE OR REPLACE VIEW b AS SELECT 1 AS one;\n");
  root.write("r/a.sql", "CREATE OR REPLACE VIEW a AS SELECT 1 AS one;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  CHECK(versions(run.set()) == std::vector<std::string>{"2", "10", "", ""});
  CHECK(run.set()[2].name == "a");
  CHECK(run.set()[3].name == "b");
}

TEST_CASE("Files named by --ignore globs are skipped; other .sql files are errors", "[catalog]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n");
  root.write("m/seed.sql", "INSERT INTO a VALUES (1);\n");
  root.write("m/README.md", "not SQL, not ours");
  strata::generator::SourceOptions options;
  options.ignore_globs = {"seed*.sql"};
  CHECK(compile_folder(root, options).ok());
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/seed.sql", 0, 0, "error", "strata-E101"));
}

TEST_CASE("CRLF line endings and a BOM give the same text and checksum as LF", "[catalog]") {
  TempFolder lf;
  TempFolder crlf;
  lf.write("m/1_a.sql", "-- migrate:up\nCREATE TABLE a (\n  id int\n);\n-- migrate:down\n");
  crlf.write(
      "m/1_a.sql",
      "\xEF\xBB\xBF-- migrate:up\r\nCREATE TABLE a (\r\n  id int\r\n);\r\n-- migrate:down\r\n");
  const auto a = compile_folder(lf);
  const auto b = compile_folder(crlf);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const auto& x = *a.set().begin();
  const auto& y = *b.set().begin();
  CHECK(x.up.sql == y.up.sql);
  CHECK(x.checksum == y.checksum);
  CHECK(x.up.statements[0].line == y.up.statements[0].line);
}

TEST_CASE("The checksum is the SHA-256 of the normalised up SQL", "[catalog]") {
  TempFolder root;
  root.write("m/1_a.up.sql", "SELECT 1;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  // printf 'SELECT 1;\n' | sha256sum
  CHECK(run.set()[0].checksum ==
        "sha256:b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd");
}

TEST_CASE("Every file read and every folder scanned is an input, for the depfile", "[catalog]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n");
  root.write("m/2_b/up.sql", "SELECT 2;\n");
  root.write("r/f.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  std::vector<std::string> inputs;
  for (const auto& path : run.compiled->inputs()) {
    inputs.push_back(path.lexically_relative(root.path()).generic_string());
  }
  std::sort(inputs.begin(), inputs.end());
  CHECK(inputs ==
        std::vector<std::string>{"m", "m/1_a.sql", "m/2_b", "m/2_b/up.sql", "r", "r/f.sql"});
}
