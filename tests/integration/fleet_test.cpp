// The fleet against the test PostgreSQL: many tenant databases or schemas migrated N at a time,
// each independent of the others.
#include <deque>
#include <sstream>
#include <string>
#include <unistd.h>

#include <strata/fleet.hpp>

#include <catch2/catch.hpp>

#include "integration/db_helpers.hpp"
#include "integration/scenarios.hpp"
#include "support/database.hpp"

using strata::test::history_rows;
using strata::test::scalar;

namespace {

strata::test::SetBuilder basic() {
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  return builder;
}

// Every TempDatabase this test process has open (their names share the process id).
std::string this_process_databases() {
  return "strata\\_test\\_" + std::to_string(::getpid()) + "\\_%";
}

std::string message_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("A fleet of databases is migrated N at a time, and one failing tenant stops no other",
          "[db][fleet]") {
  std::deque<strata::test::TempDatabase> tenants(12);
  {
    strata::pq::Connection conn{tenants[6].url()};
    conn.exec("CREATE TABLE users (id int)");  // the conflicting table of one tenant
  }
  const std::vector<strata::FleetTarget> targets =
      strata::databases_like(strata::test::cluster_url(), this_process_databases());
  REQUIRE(targets.size() == 12);

  auto builder = basic();
  std::vector<std::string> finished;
  const strata::FleetUpResult result =
      strata::up_each(targets, builder.set(), {}, {.jobs = 4},
                      [&finished](const strata::FleetTarget& target, const strata::TargetOutcome&,
                                  const strata::RunReport&) { finished.push_back(target.name); });

  CHECK(finished.size() == 12);
  std::size_t migrated = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const bool is_conflicting = targets[i].name == tenants[6].name();
    const strata::TargetOutcome& outcome = result.outcomes[i];
    if (is_conflicting) {
      REQUIRE(outcome.status == strata::TargetStatus::failed);
      CHECK_THROWS_MATCHES(std::rethrow_exception(outcome.error), strata::SqlError,
                           Catch::Matchers::Predicate<strata::SqlError>(
                               [](const strata::SqlError& error) {
                                 return error.sqlstate() == "42P07" &&
                                        error.fields().version == "20240101000001";
                               },
                               "42P07 in the first migration"));
      continue;
    }
    CHECK(outcome.status == strata::TargetStatus::ok);
    CHECK(result.reports[i].steps.size() == 3);
    strata::pq::Connection conn{targets[i].conninfo};
    CHECK(history_rows(conn).size() == 3);
    ++migrated;
  }
  CHECK(migrated == 11);
}

TEST_CASE("With fail_fast, no new tenant starts after one fails", "[db][fleet]") {
  std::deque<strata::test::TempDatabase> tenants(3);
  const std::vector<strata::FleetTarget> targets =
      strata::databases_like(strata::test::cluster_url(), this_process_databases());
  REQUIRE(targets.size() == 3);
  {
    strata::pq::Connection conn{targets[0].conninfo};
    conn.exec("CREATE TABLE users (id int)");
  }
  auto builder = basic();
  const strata::FleetUpResult result =
      strata::up_each(targets, builder.set(), {}, {.jobs = 1, .fail_fast = true});
  CHECK(result.outcomes[0].status == strata::TargetStatus::failed);
  for (std::size_t i = 1; i < targets.size(); ++i) {
    CHECK(result.outcomes[i].status == strata::TargetStatus::not_started);
    strata::pq::Connection conn{targets[i].conninfo};
    CHECK(scalar(conn, "SELECT to_regclass('users')::text").empty());
  }
}

TEST_CASE("An empty selection is an error that names the pattern", "[db][fleet]") {
  CHECK_THROWS_AS(strata::databases_like(strata::test::cluster_url(), "no\\_such\\_tenant\\_%"),
                  strata::ConfigurationError);
  CHECK_THROWS_WITH(strata::databases_like(strata::test::cluster_url(), "no\\_such\\_tenant\\_%"),
                    Catch::Matchers::Contains("no database matches 'no\\_such\\_tenant\\_%' on"));
}

TEST_CASE("Schema-per-tenant: each schema gets its own tables and its own history", "[db][fleet]") {
  strata::test::TempDatabase db;
  {
    strata::pq::Connection conn{db.url()};
    conn.exec(
        "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA \"tenant C\"; "
        "CREATE SCHEMA other");
  }
  const std::vector<strata::FleetTarget> targets = strata::schemas_like(db.url(), "tenant%");
  REQUIRE(targets.size() == 3);
  CHECK(targets[0].name == "tenant C");

  auto builder = basic();
  const strata::FleetUpResult result = strata::up_each(targets, builder.set(), {}, {.jobs = 3});
  strata::pq::Connection conn{db.url()};
  for (std::size_t i = 0; i < targets.size(); ++i) {
    INFO(targets[i].name);
    CHECK(result.outcomes[i].status == strata::TargetStatus::ok);
    const std::string schema = conn.quote_identifier(targets[i].schema);
    CHECK(scalar(conn, "SELECT count(*) FROM " + schema + ".strata_migrations") == "3");
    CHECK(scalar(conn, "SELECT to_regclass('" + schema + ".users')::text") != "");
  }
  CHECK(scalar(conn, "SELECT to_regclass('public.users')::text").empty());
  CHECK(scalar(conn, "SELECT to_regclass('public.strata_migrations')::text").empty());

  // Applied again, every schema is up to date: its history is its own.
  const strata::FleetUpResult again = strata::up_each(targets, builder.set(), {}, {});
  for (const strata::RunReport& report : again.reports)
    CHECK(report.steps.empty());
}

TEST_CASE("A schema-per-tenant fleet refuses a schema-qualified history table", "[fleet]") {
  strata::MigratorOptions options;
  options.history_table = "migration.history";
  CHECK_THROWS_AS(strata::options_for({"t", "", "tenant_a"}, options), strata::ConfigurationError);
  CHECK(strata::options_for({"t", "", ""}, options).history_table == "migration.history");
}

TEST_CASE(
    "A targets file skips comments and blank lines and names a malformed line without "
    "printing it",
    "[fleet]") {
  std::istringstream good{"# tenants\n\n  postgresql://app:s3cret@db1/ft_01  \ndbname=ft_02\n"};
  const std::vector<strata::FleetTarget> targets = strata::read_targets(good, "tenants.txt");
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].conninfo == "postgresql://app:s3cret@db1/ft_01");
  CHECK(targets[0].name.find("s3cret") == std::string::npos);
  CHECK(targets[1].conninfo == "dbname=ft_02");

  std::istringstream bad{"postgresql://a@h/x\npassword=s3cret dbname\n"};
  try {
    static_cast<void>(strata::read_targets(bad, "tenants.txt"));
    FAIL("a malformed line was accepted");
  } catch (const strata::ConfigurationError& error) {
    const std::string message = error.what();
    CHECK(message.starts_with("tenants.txt:2: "));
    CHECK(message.find("s3cret") == std::string::npos);
  }

  std::istringstream empty{"# nothing here\n"};
  CHECK_THROWS_WITH(strata::read_targets(empty, "tenants.txt"),
                    Catch::Matchers::Contains("lists no target"));
}

TEST_CASE("An exception thrown by the work of one target is its outcome, not the caller's",
          "[fleet]") {
  const std::vector<strata::FleetTarget> targets{{"a", "", ""}, {"b", "", ""}, {"c", "", ""}};
  const auto outcomes = strata::for_each_target(targets, {.jobs = 2}, [](const auto& target) {
    if (target.name == "b")
      throw strata::RefusedError("drift", strata::Refusal::drift, {"1"});
  });
  CHECK(outcomes[0].status == strata::TargetStatus::ok);
  CHECK(outcomes[1].status == strata::TargetStatus::refused);
  CHECK(message_of(outcomes[1].error) == "drift");
  CHECK(outcomes[2].status == strata::TargetStatus::ok);
}
