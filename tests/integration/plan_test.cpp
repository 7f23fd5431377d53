// Unit tests of the plan rules over history rows, without a database.
#include "plan.hpp"

#include <catch2/catch.hpp>

#include "integration/test_set.hpp"

namespace {

strata::detail::HistoryRow applied(std::string version, std::string checksum,
                                   strata::RowState state = strata::RowState::applied) {
  strata::detail::HistoryRow row;
  row.version = std::move(version);
  row.name = "m" + row.version;
  row.checksum = std::move(checksum);
  row.state = state;
  return row;
}

strata::detail::HistoryRow routine(std::string name, int revision, std::string checksum) {
  strata::detail::HistoryRow row;
  row.kind = strata::MigrationKind::routine;
  row.name = std::move(name);
  row.revision = revision;
  row.checksum = std::move(checksum);
  row.state = strata::RowState::applied;
  return row;
}

// make_plan reads the decoded migrations the Migrator keeps.
std::vector<strata::Migration> elements(const strata::MigrationSet& set) {
  return {set.begin(), set.end()};
}

}  // namespace

TEST_CASE("Versions match numerically, so 0002 in the history is migration 2", "[plan]") {
  strata::test::SetBuilder builder;
  builder.migration("2", "two", "SELECT 2;").migration("10", "ten", "SELECT 10;");
  const strata::MigrationSet& set = builder.set();
  const strata::Plan plan =
      strata::detail::make_plan(elements(set), {applied("0002", std::string{set[0].checksum})});
  REQUIRE(plan.entries.size() == 2);
  CHECK(plan.entries[0].state == strata::MigrationState::applied);
  CHECK(plan.entries[1].state == strata::MigrationState::pending);
  CHECK(plan.has_pending());
  CHECK_FALSE(strata::detail::is_settled(plan, true, {}));
}

TEST_CASE("A plan lists migrations by version, then unknown versions, then routines by name",
          "[plan]") {
  strata::test::SetBuilder builder;
  builder.migration("1", "one", "SELECT 1;")
      .migration("2", "two", "SELECT 2;")
      .migration("3", "three", "SELECT 3;")
      .routine("b_routine", "SELECT 'b';", std::nullopt)
      .routine("c_routine", "SELECT 'c';", std::nullopt);
  const strata::MigrationSet& set = builder.set();
  const strata::Plan plan = strata::detail::make_plan(
      elements(set),
      {applied("1", "sha256:other"), applied("3", std::string{set[2].checksum}),
       applied("9", "sha256:x", strata::RowState::failed), routine("b_routine", 1, "sha256:old"),
       routine("b_routine", 2, std::string{set[3].checksum}), routine("a_gone", 4, "sha256:gone")});
  std::vector<std::pair<std::string, strata::MigrationState>> seen;
  for (const auto& entry : plan.entries) {
    seen.emplace_back(entry.version.empty() ? entry.name : entry.version, entry.state);
  }
  using S = strata::MigrationState;
  CHECK(seen == std::vector<std::pair<std::string, S>>{{"1", S::drifted},
                                                       {"2", S::out_of_order},
                                                       {"3", S::applied},
                                                       {"9", S::failed},
                                                       {"a_gone", S::unknown},
                                                       {"b_routine", S::applied},
                                                       {"c_routine", S::pending}});
  CHECK(plan.entries[5].revision == 2);
  CHECK(plan.entries[4].revision == 4);
  CHECK_FALSE(plan.entries[4].position.has_value());  // not in the set
  CHECK(plan.entries[1].position == std::optional<std::size_t>{1});
  CHECK(plan.entries[6].position == std::optional<std::size_t>{4});  // c_routine: set[4]
  CHECK_THROWS_AS(strata::detail::check_refusals(plan, {}), strata::RefusedError);
}

TEST_CASE("A failed migration is refused even when every override is on", "[plan]") {
  strata::test::SetBuilder builder;
  builder.migration("1", "one", "SELECT 1;");
  const strata::MigrationSet& set = builder.set();
  const strata::Plan plan = strata::detail::make_plan(
      elements(set), {applied("1", std::string{set[0].checksum}, strata::RowState::running)});
  strata::MigratorOptions options;
  options.allow_drift = options.allow_unknown = options.allow_out_of_order = true;
  try {
    strata::detail::check_refusals(plan, options);
    FAIL("refusal expected");
  } catch (const strata::RefusedError& error) {
    CHECK(error.reason() == strata::Refusal::failed);
  }
}

TEST_CASE("The test splitter finds statements past quotes, dollar quotes and comments",
          "[plan][splitter]") {
  const std::string sql =
      "-- a comment; with a semicolon\nSELECT 'a;b';\n\nCREATE FUNCTION f() RETURNS int "
      "LANGUAGE sql AS $body$ SELECT 1; $body$;\n/* ; */ SELECT \"x;y\" FROM t";
  const auto statements = strata::test::split_statements(sql, 2);
  REQUIRE(statements.size() == 3);
  CHECK(sql.substr(statements[0].offset, statements[0].length) == "SELECT 'a;b'");
  CHECK(statements[0].line == 3);
  CHECK(statements[1].line == 5);
  CHECK(sql.substr(statements[2].offset, statements[2].length) == "SELECT \"x;y\" FROM t");
}
