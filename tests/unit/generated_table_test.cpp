// The table `strata generate` emitted at build time (fixtures/generated → fixture_db.cpp),
// linked into this test: it holds exactly what the compiler reads at run time.
#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"
#include "fixture_db.hpp"

namespace {
const std::filesystem::path fixture{STRATA_FIXTURE_DIR};

// `generated` holds paths relative to the migrations folder; `read` the compiler's absolute ones.
void check_same_section(const strata::Section& generated, const strata::Section& read) {
  const strata::Section& a = generated;
  const strata::Section& b = read;
  CHECK(a.sql == b.sql);
  if (a.path.empty())
    CHECK(b.path.empty());
  else
    CHECK((fixture / "migrations" / a.path).lexically_normal().string() == b.path);
  CHECK(a.first_line == b.first_line);
  CHECK(a.in_transaction == b.in_transaction);
  REQUIRE(a.statements.size() == b.statements.size());
  for (std::size_t i = 0; i < a.statements.size(); ++i) {
    CHECK(a.statements[i].offset == b.statements[i].offset);
    CHECK(a.statements[i].length == b.statements[i].length);
    CHECK(a.statements[i].line == b.statements[i].line);
  }
}
}  // namespace

TEST_CASE("The generated table holds the migrations in order, routines last", "[emit]") {
  const strata::MigrationSet& set = fixture_db::migrations();
  REQUIRE(set.size() == 4);
  CHECK(set[0].version == "20240101000000");
  CHECK(set[0].name == "create_users");
  CHECK(set[1].version == "20240102000000");
  CHECK(set[2].version == "20240103000000");
  CHECK(set[3].kind == strata::MigrationKind::routine);
  CHECK(set[3].name == "find_user");
  CHECK(set[3].version.empty());
}

TEST_CASE("Generated SQL keeps every byte, escapes included", "[emit]") {
  const auto& users = fixture_db::migrations()[0];
  CHECK(users.up.sql ==
        "CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  name text NOT NULL -- café \"quoted\" "
        "\\ ?\?=\n);\n\n");
  CHECK(users.up.first_line == 3);
  CHECK(users.up.path == "20240101000000_create_users.sql");
  CHECK(users.down.sql == "DROP TABLE users;\n");
  CHECK(users.down.statements.size() == 1);
  CHECK(users.down.statements[0].line == 9);
  CHECK(users.checksum.starts_with("sha256:"));
  CHECK(users.checksum.size() == 7 + 64);
}

TEST_CASE("Iterating the generated set yields every migration once, in order", "[emit]") {
  std::vector<std::string> names;
  for (const strata::Migration migration : fixture_db::migrations())
    names.emplace_back(migration.name);
  CHECK(names == std::vector<std::string>{"create_users", "sessions", "index", "find_user"});
  const strata::Migration copy = fixture_db::migrations()[0];
  CHECK(copy.up.sql.starts_with("CREATE TABLE users"));  // views into static data outlive copies
}

TEST_CASE("A lifted BEGIN … COMMIT is blanked in the generated SQL", "[emit]") {
  const auto& sessions = fixture_db::migrations()[1];
  CHECK(sessions.up.sql.starts_with("      \nCREATE TABLE sessions"));
  REQUIRE(sessions.up.statements.size() == 1);
  CHECK(sessions.up.statements[0].line == 2);
  CHECK(sessions.up.in_transaction);
  CHECK(sessions.up.path.ends_with("20240102000000_sessions.up.sql"));
  CHECK(sessions.down.path.ends_with("20240102000000_sessions.down.sql"));
  CHECK_FALSE(fixture_db::migrations()[2].up.in_transaction);
}

TEST_CASE("Generated paths are relative to the migrations folder, routines' too", "[emit]") {
  CHECK(fixture_db::migrations()[1].up.path == "20240102000000_sessions.up.sql");
  CHECK(fixture_db::migrations()[1].down.path == "20240102000000_sessions.down.sql");
  CHECK(fixture_db::migrations()[3].up.path == "../routines/find_user.sql");
}

TEST_CASE("A routine's generated down drops the function it defines", "[emit]") {
  const auto& routine = fixture_db::migrations()[3];
  CHECK(routine.down.sql == "DROP FUNCTION IF EXISTS \"find_user\"(\"pg_catalog\".\"int8\");\n");
  CHECK(routine.down.in_transaction);
}

TEST_CASE("The generated table equals what the compiler reads from the folder at run time",
          "[emit]") {
  strata::generator::SourceOptions options;
  options.migrations_dir = fixture / "migrations";
  options.routines_dir = fixture / "routines";
  const auto run = strata::test::compile_with(options, fixture);
  REQUIRE(run.ok());
  const strata::MigrationSet& generated = fixture_db::migrations();
  REQUIRE(run.set().size() == generated.size());
  for (std::size_t i = 0; i < generated.size(); ++i) {
    const auto& a = generated[i];
    const auto& b = run.set()[i];
    CHECK(a.kind == b.kind);
    CHECK(a.version == b.version);
    CHECK(a.name == b.name);
    CHECK(a.checksum == b.checksum);
    check_same_section(a.up, b.up);
    CHECK(a.down.present() == b.down.present());
    check_same_section(a.down, b.down);
  }
}
