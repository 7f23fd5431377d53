// Transaction rules: transaction control inside a transactional migration, the lifted
// golang-migrate BEGIN … COMMIT, and statements that cannot run in a transaction block.
#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::test::TempFolder;

TEST_CASE("BEGIN, COMMIT, ROLLBACK inside a transactional migration are E301", "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.sql", "CREATE TABLE a (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (id int);\n");
  root.write("m/2_b.sql", "SELECT 1;\nROLLBACK;\n  START TRANSACTION;\nSELECT 2;\nEND;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 2, 1, "error", "strata-E301"));
  CHECK(run.has("m/1_a.sql", 3, 1, "error", "strata-E301"));
  CHECK(run.has("m/2_b.sql", 2, 1, "error", "strata-E301"));
  CHECK(run.has("m/2_b.sql", 3, 3, "error", "strata-E301"));
  CHECK(run.has("m/2_b.sql", 5, 1, "error", "strata-E301"));
}

TEST_CASE("SAVEPOINT, RELEASE and ROLLBACK TO are fine inside a transaction", "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "SAVEPOINT s;\nCREATE TABLE a (id int);\nROLLBACK TO SAVEPOINT s;\nRELEASE s;\n");
  CHECK(compile_folder(root).ok());
}

TEST_CASE("A file wrapped in BEGIN … COMMIT has that transaction lifted, with a note",
          "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.up.sql",
             "BEGIN;\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCOMMIT;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  CHECK(run.has("m/1_a.up.sql", 1, 1, "note", "strata-N301"));
  const auto& up = run.set()[0].up;
  CHECK(up.in_transaction);
  CHECK(up.sql == "      \nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n       \n");
  REQUIRE(up.statements.size() == 2);
  CHECK(up.statements[0].line == 2);
  CHECK(up.statements[1].line == 3);
}

TEST_CASE("A BEGIN with an isolation level is not lifted: it is E301", "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.up.sql",
             "BEGIN ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE a (id int);\nCOMMIT;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.up.sql", 1, 1, "error", "strata-E301"));
  CHECK(run.has("m/1_a.up.sql", 3, 1, "error", "strata-E301"));
}

TEST_CASE("Statements that cannot run in a transaction block are E302 with the form's opt-out",
          "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- migrate:up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\n"
             "DROP INDEX CONCURRENTLY i;\n");
  root.write(
      "m/2_b.up.sql",
      "VACUUM t;\nREINDEX TABLE CONCURRENTLY t;\nCREATE DATABASE d;\nALTER SYSTEM SET x = 1;\n"
      "ANALYZE t;\nREINDEX TABLE t;\n");
  root.write("m/3_c/up.sql", "DROP DATABASE d;\nCREATE TABLESPACE s LOCATION '/x';\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 2, 1, "error", "strata-E302"));
  CHECK(run.has("m/1_a.sql", 4, 1, "error", "strata-E302"));
  CHECK(run.has("m/2_b.up.sql", 1, 1, "error", "strata-E302"));
  CHECK(run.has("m/2_b.up.sql", 2, 1, "error", "strata-E302"));
  CHECK(run.has("m/2_b.up.sql", 3, 1, "error", "strata-E302"));
  CHECK(run.has("m/2_b.up.sql", 4, 1, "error", "strata-E302"));
  CHECK(run.has("m/3_c/up.sql", 1, 1, "error", "strata-E302"));
  CHECK(run.has("m/3_c/up.sql", 2, 1, "error", "strata-E302"));
  CHECK(run.count("error") == 8);  // ANALYZE and plain REINDEX run in a transaction
  CHECK(run.output.find("hint: add transaction:false to this section's marker line") !=
        std::string::npos);
  CHECK(run.output.find("hint: make `-- no-transaction` the first line of the file") !=
        std::string::npos);
  CHECK(run.output.find("hint: add `run_in_transaction = false` to metadata.toml") !=
        std::string::npos);
}

TEST_CASE("A migration outside a transaction may hold them, and its own BEGIN/COMMIT",
          "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\nBEGIN;\n"
             "SELECT 1;\nCOMMIT;\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY i;\n");
  root.write("m/2_b.sql", "-- no-transaction\nVACUUM t;\n");
  root.write("m/3_c/up.sql", "REINDEX DATABASE d;\n");
  root.write("m/3_c/metadata.toml", "# Diesel\nrun_in_transaction = false\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  CHECK(run.count("note") == 0);
  CHECK_FALSE(run.set()[0].up.in_transaction);
  CHECK(run.set()[0].up.statements.size() == 4);
}

TEST_CASE("A BEGIN left open at the end of a section outside a transaction is W301 at the BEGIN",
          "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE ntb1 (id int);\n"
             "-- migrate:down transaction:false\nBEGIN;\nDROP TABLE ntb1;\nCOMMIT;\n");
  root.write("m/2_b.sql", "-- no-transaction\nSTART TRANSACTION;\nSELECT 1;\nCOMMIT AND CHAIN;\n");
  root.write("m/3_c.sql", "-- no-transaction\nBEGIN;\nSELECT 1;\nROLLBACK;\nVACUUM t;\n");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());  // a warning
  CHECK(run.has("m/1_a.sql", 2, 1, "warning", "strata-W301"));
  CHECK(run.has("m/2_b.sql", 2, 1, "warning", "strata-W301"));
  CHECK(run.count("warning") == 2);  // the down and 3_c close what they open

  strata::generator::SourceOptions strict;
  strict.warnings_as_errors = true;
  CHECK_FALSE(compile_folder(root, strict).ok());
}

TEST_CASE("`-- strata:unchecked` above COMMIT does not switch off E301", "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.sql", "CREATE TABLE a (id int);\n-- strata:unchecked\nCOMMIT;\n");
  root.write("m/2_b.sql", "-- strata:unchecked\nBEGIN;\nSELECT 1;\n-- strata:unchecked\nCOMMIT;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 3, 1, "error", "strata-E301"));
  CHECK(run.has("m/2_b.sql", 2, 1, "error", "strata-E301"));  // never lifted: it is unchecked
  CHECK(run.has("m/2_b.sql", 5, 1, "error", "strata-E301"));
}

TEST_CASE("`-- strata:unchecked` does not switch off E301/E302 for syntax the grammar refuses",
          "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- strata:unchecked\nCOMMIT AND FLUSH NEWER SYNTAX;\n"
             "-- strata:unchecked\ncreate unique index concurrently i on t (a) newer syntax;\n"
             "-- strata:unchecked\nCREATE INDEX CONCURRENTLY j ON t (a);\n"
             "-- strata:unchecked\nROLLBACK TO SAVEPOINT s NEWER;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 2, 1, "error", "strata-E301"));
  CHECK(run.has("m/1_a.sql", 4, 1, "error", "strata-E302"));
  CHECK(run.has("m/1_a.sql", 6, 1, "error", "strata-E302"));
  CHECK(run.count("error") == 3);
}

TEST_CASE("`-- strata:unchecked` above a BEGIN outside a transaction still gets W301",
          "[check][tx]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- no-transaction\n-- strata:unchecked\nBEGIN NEWER SYNTAX;\nSELECT 1;\n");
  const auto run = compile_folder(root);
  CHECK(run.has("m/1_a.sql", 3, 1, "warning", "strata-W301"));
}
