// LazilyCheckedSet: the `strata` tool's run-time set, whose migrations' SQL is checked only when a
// command asks for it (those not applied unchanged).
#include <array>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::generator::LazilyCheckedSet;
using strata::generator::SourceOptions;
using strata::test::TempFolder;

namespace {

SourceOptions options_for(const TempFolder& root) {
  SourceOptions options;
  options.migrations_dir = root.path() / "m";
  if (std::filesystem::exists(root.path() / "r"))
    options.routines_dir = root.path() / "r";
  return options;
}

}  // namespace

TEST_CASE("A lazily checked set checks the SQL of the migrations asked for, once", "[check]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
  root.write("m/2_b.sql", "-- migrate:up\nCREATE TABLE b (id int;\n");
  root.write("m/3_c.sql",
             "-- migrate:up\nBEGIN;\nCREATE TABLE c (id int);\nCOMMIT;\n"
             "-- migrate:down\nDROP TABLE c;\n");
  std::ostringstream out;
  auto loaded = LazilyCheckedSet::load(options_for(root), out);
  REQUIRE(loaded);
  CHECK(out.str().empty());
  REQUIRE(loaded->set().size() == 3);
  // Unchecked elements: identity and checksum, the SQL as written, no statements.
  CHECK(loaded->set()[1].version == "2");
  CHECK(loaded->set()[1].checksum.starts_with("sha256:"));
  CHECK(loaded->set()[1].up.sql == "CREATE TABLE b (id int;\n");
  CHECK(loaded->set()[0].up.statements.empty());

  const std::array<std::size_t, 2> first_and_third{0, 2};
  CHECK(loaded->check(first_and_third, out) == 2);
  CHECK(loaded->check(first_and_third, out) == 0);
  CHECK(loaded->set()[0].up.statements.size() == 1);
  // The lifted BEGIN/COMMIT are blanked, as in a compiled set.
  CHECK(loaded->set()[2].up.sql.find("BEGIN") == std::string_view::npos);
  CHECK_THAT(out.str(), !Catch::Contains("error"));

  const std::array<std::size_t, 1> second{1};
  CHECK_FALSE(loaded->check(second, out));
  CHECK_THAT(out.str(), Catch::Contains("2_b.sql:2:23: error: syntax error"));
}

TEST_CASE("A lazily checked set refuses a folder whose names or lock file are wrong at load",
          "[check]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n");
  root.write("m/01_b.sql", "SELECT 2;\n");
  std::ostringstream out;
  CHECK_FALSE(LazilyCheckedSet::load(options_for(root), out));
  CHECK_THAT(out.str(), Catch::Contains("error"));
}

TEST_CASE("Asking a lazily checked set for one routine checks every routine against the others",
          "[check][routine]") {
  TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n");
  root.write("r/f.sql",
             "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n");
  root.write("r/g.sql",
             "CREATE OR REPLACE FUNCTION f(b int) RETURNS int LANGUAGE sql AS 'SELECT b';\n");
  std::ostringstream out;
  auto loaded = LazilyCheckedSet::load(options_for(root), out);
  REQUIRE(loaded);
  REQUIRE(loaded->set().size() == 3);
  const std::array<std::size_t, 1> routine_f{1};
  CHECK_FALSE(loaded->check(routine_f, out));
  CHECK_THAT(out.str(), Catch::Contains("g.sql:1:1: error:"));
  CHECK_THAT(out.str(), Catch::Contains("strata-E403"));
}

TEST_CASE(
    "A lazily checked set surveys without stopping: each broken migration with its first error",
    "[check]") {
  TempFolder root;
  root.write("m/1_a.sql",
             "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
  root.write("m/2_b.sql", "-- migrate:up\nCREATE TABLE b (id int;\nCREATE TABLE b2 (,);\n");
  root.write("m/3_c.sql", "-- migrate:up\nCREATE TABLE c (id int);\n");
  std::ostringstream out;
  auto loaded = LazilyCheckedSet::load(options_for(root), out);
  REQUIRE(loaded);
  const std::array<std::size_t, 3> every{0, 1, 2};
  const LazilyCheckedSet::Survey survey = loaded->survey(every);
  CHECK(survey.checked == 3);
  REQUIRE(survey.failures.size() == 1);
  CHECK(survey.failures[0].position == 1);
  CHECK_THAT(survey.failures[0].error, Catch::EndsWith("2_b.sql:2:23: error: syntax error at or "
                                                       "near \";\" [strata-E201]"));
  // The others are complete; the broken one stays unchecked, never to be run.
  CHECK(loaded->set()[0].up.statements.size() == 1);
  CHECK(loaded->set()[2].up.statements.size() == 1);
  CHECK(loaded->set()[1].up.statements.empty());
  CHECK(out.str().empty());
}
