// Reading a compiled table (<strata/detail/compiled_table_layout.hpp>) written by hand, so every
// kind of base-64 digit and every field is checked against a known value. The round trip through
// the real emitter is tests/unit/generated_table_test.cpp.
#include <array>
#include <string>

#include <strata/detail/compiled_table_layout.hpp>
#include <strata/migration_set.hpp>

#include <catch2/catch.hpp>

namespace {

// One migration "1" named "n", checksum "c", up "SQL" from "/p" line 7, in a transaction, with
// one statement whose line uses digits of every class (upper, lower, decimal, '+', '/').
constexpr char text[] = "1nc/pSQL";
constexpr char index[] =
    "C"       // flags: up_in_transaction
    "AAAAAA"  // text offset 0
    "AB"
    "AB"
    "AB"      // version, name, checksum: 1 byte each
    "AAC"     // up path: 2 bytes
    "AAAAAD"  // up SQL: 3 bytes
    "AAA"     // no down path
    "AAAAAA"  // no down SQL
    "AAAAAH"  // up first line 7
    "AAAAAB"  // down first line 1
    "AAAAAA"  // first statement 0
    "AAAAAB"  // 1 up statement
    "AAAAAA"  // 0 down statements
    // the statement: offset 0, length 3, line 4294659955
    "AAAAAA"
    "AAAAAD"
    "D/+09z";
constexpr strata::CompiledTable table{text, index, 1};

}  // namespace

TEST_CASE("A compiled table decodes into the migration it describes", "[migration_set]") {
  static_assert(sizeof index - 1 ==
                strata::compiled::record_digits + strata::compiled::statement_digits);
  const strata::MigrationSet set{table};
  REQUIRE(set.size() == 1);
  const strata::Migration migration = set[0];
  CHECK(migration.kind == strata::MigrationKind::migration);
  CHECK(migration.version == "1");
  CHECK(migration.name == "n");
  CHECK(migration.checksum == "c");
  CHECK(migration.up.path == "/p");
  CHECK(migration.up.sql == "SQL");
  CHECK(migration.up.first_line == 7);
  CHECK(migration.up.in_transaction);
  CHECK_FALSE(migration.down.present());
  CHECK(migration.down.sql.empty());
  CHECK_FALSE(migration.down.in_transaction);
  REQUIRE(migration.up.statements.size() == 1);
  const strata::Statement statement = migration.up.statements[0];
  CHECK(statement.offset == 0);
  CHECK(statement.length == 3);
  CHECK(statement.line == 4294659955U);
  CHECK(migration.down.statements.empty());
}

TEST_CASE("A set over migrations built at run time hands out those migrations", "[migration_set]") {
  std::array<strata::Migration, 2> migrations{};
  migrations[0].name = "a";
  migrations[1].name = "b";
  const strata::MigrationSet set{migrations};
  CHECK(set.size() == 2);
  std::string names;
  for (const strata::Migration migration : set)
    names += migration.name;
  CHECK(names == "ab");
  CHECK(strata::MigrationSet{}.empty());
}
