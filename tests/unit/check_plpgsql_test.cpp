// PL/pgSQL the compiler must accept: one minimal case per construct that PostgreSQL 15 accepts
// and libpg_query's catalog-less compiler alone would reject (fixtures/plpgsql/accepted, applied
// to the real server by check_plpgsql_server_test), and a typo inside each construct that must
// still be an error, where the server reports it (fixtures/plpgsql/rejected: each file's first
// line says where and what).
#include <algorithm>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::test::compile_dir;
using strata::test::compile_folder;
using strata::test::TempFolder;

namespace {
const std::filesystem::path fixtures =
    std::filesystem::path{STRATA_SOURCE_DIR} / "tests/unit/fixtures/plpgsql";

struct Expected {
  std::string file;  // "rejected/0002_….sql"
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
};

// `-- rejected at 7:5: syntax error at or near "RETRUN"`
Expected expectation(const std::filesystem::path& file) {
  const std::string text = strata::test::read_file(file);
  const std::string first = text.substr(0, text.find('\n'));
  constexpr std::string_view prefix = "-- rejected at ";
  REQUIRE(first.starts_with(prefix));
  const std::size_t colon = first.find(':', prefix.size());
  const std::size_t colon2 = first.find(':', colon + 1);
  return Expected{"rejected/" + file.filename().string(),
                  static_cast<std::uint32_t>(std::stoul(first.substr(prefix.size()))),
                  static_cast<std::uint32_t>(std::stoul(first.substr(colon + 1))),
                  first.substr(colon2 + 2)};
}
}  // namespace

TEST_CASE("Every construct of the valid PL/pgSQL folder passes with zero errors",
          "[check][plpgsql]") {
  const auto run = compile_dir(fixtures / "accepted");
  INFO(run.output);
  REQUIRE(run.ok());
  CHECK(run.count("error") == 0);
  CHECK(run.set().size() == 10);
}

TEST_CASE("A typo inside each construct is still one E204 where the server reports it",
          "[check][plpgsql]") {
  const auto run = compile_dir(fixtures / "rejected");
  INFO(run.output);
  CHECK_FALSE(run.ok());
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator{fixtures / "rejected"}) {
    const Expected expected = expectation(entry.path());
    ++files;
    INFO(expected.file);
    const auto found = std::find_if(run.diagnostics.begin(), run.diagnostics.end(),
                                    [&](const strata::test::Printed& d) {
                                      return d.file == expected.file && d.severity == "error";
                                    });
    REQUIRE(found != run.diagnostics.end());
    CHECK(found->id == "strata-E204");
    CHECK(found->line == expected.line);
    CHECK(found->column == expected.column);
    CHECK(
        (found->message == expected.message || found->message == "PL/pgSQL: " + expected.message));
  }
  CHECK(files == 13);
  CHECK(run.count("error") == files);
}

TEST_CASE("PL/pgSQL and SQL-body errors name the escape hatch and what it costs",
          "[check][plpgsql][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETRUN 1; END $$;\n"
             "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $$ SELEC 1 $$;\n"
             "SELECT \"\" FROM t;\n");
  const auto run = compile_folder(root);
  CHECK(run.has("m/1_a.sql", 1, 62, "error", "strata-E204"));
  CHECK(run.has("m/1_a.sql", 2, 52, "error", "strata-E205"));
  CHECK(run.has("m/1_a.sql", 3, 8, "error", "strata-E201"));
  const std::string& out = run.output;
  std::size_t hints = 0;
  for (std::size_t at = out.find("`-- strata:unchecked`"); at != std::string::npos;
       at = out.find("`-- strata:unchecked`", at + 1))
    ++hints;
  CHECK(hints == 3);
  CHECK(out.find("checksum changes") != std::string::npos);
  // An empty quoted name is not newer syntax, and the hint does not pretend it may be.
  CHECK(out.find("newer") == std::string::npos);
}

TEST_CASE("A grammar error's hint allows for newer syntax", "[check][plpgsql][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a;\n");
  const auto run = compile_folder(root);
  CHECK(run.has("m/1_a.sql", 2, 35, "error", "strata-E201"));
  CHECK(run.output.find("newer PostgreSQL's syntax") != std::string::npos);
}

TEST_CASE("For a locked migration the hint says not to edit it instead of the escape hatch",
          "[check][plpgsql][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql", "DO $$ BEGIN RETRUN; END $$;\n");
  const auto first = compile_folder(root);
  REQUIRE(first.has("m/1_a.sql", 1, 13, "error", "strata-E204"));
  REQUIRE(first.output.find("checksum changes") != std::string::npos);
  // The SHA-256 of the up SQL, locked as `strata lock` would (it refuses a failing set).
  TempFolder locked;
  locked.write("m/1_a.sql", "DO $$ BEGIN RETRUN; END $$;\n");
  locked.write(
      "m/migrations.lock",
      "# strata-lock 1\n1 127fb944f1579e9d6228ef1dd3e4d99d44e0a107c1f3dcf71978781b05589846\n");
  const auto run = compile_folder(locked);
  INFO(run.output);
  CHECK(run.has("m/1_a.sql", 1, 13, "error", "strata-E204"));
  CHECK(run.output.find("locked in migrations.lock, so do not edit it") != std::string::npos);
  CHECK(run.output.find("checksum changes") == std::string::npos);
}

TEST_CASE("A body quoted with '…' gets the same help, and odd parameter numbers do not crash",
          "[check][plpgsql]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "CREATE FUNCTION f(c refcursor) RETURNS text LANGUAGE plpgsql AS '\n"
             "BEGIN\n  OPEN c FOR SELECT ''a'';\n  RETURN ''ok'';\nEND';\n"
             "DO $$ BEGIN OPEN $99999999999999999999999 FOR SELECT 1; END $$;\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  CHECK(run.count("error") == 1);
  CHECK(run.has("m/1_a.sql", 6, 18, "error", "strata-E204"));
}
