// Migrator db tests: applying, rolling back, the history table, events and round trips.
#include <array>
#include <cstdio>
#include <memory>

#include <strata/migrator.hpp>

#include <catch2/catch.hpp>

#include "integration/db_helpers.hpp"
#include "integration/scenarios.hpp"
#include "support/database.hpp"

using strata::test::history_rows;
using strata::test::scalar;
using strata::test::schema_snapshot;

namespace {

strata::test::SetBuilder basic() {
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  return builder;
}

strata::MigratorOptions history_table(std::string name) {
  strata::MigratorOptions options;
  options.history_table = std::move(name);
  return options;
}

}  // namespace

TEST_CASE("Applying, rolling back everything and applying again gives the same schema",
          "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  auto builder = basic();
  strata::Migrator migrator{db.url(), builder.set()};

  const strata::RunReport first = migrator.up();
  REQUIRE(first.steps.size() == 3);
  CHECK(first.steps[0].version == "20240101000001");
  const std::string applied_schema = schema_snapshot(conn);
  CHECK(applied_schema.find("index CREATE UNIQUE INDEX users_email") != std::string::npos);
  CHECK(applied_schema.find("count_users") != std::string::npos);
  const std::vector<std::string> expected{"migration 20240101000001 create_users 0 applied",
                                          "migration 20240101000002 add_name 0 applied",
                                          "migration 20240101000003 count_users 0 applied"};
  CHECK(history_rows(conn) == expected);

  const strata::RunReport rolled_back = migrator.down_to("0");
  REQUIRE(rolled_back.steps.size() == 3);
  CHECK(rolled_back.steps[0].version == "20240101000003");  // newest first
  CHECK(schema_snapshot(conn).empty());
  CHECK(history_rows(conn).empty());

  CHECK(migrator.up().steps.size() == 3);
  CHECK(schema_snapshot(conn) == applied_schema);
  CHECK(history_rows(conn) == expected);
  CHECK(migrator.up().steps.empty());
}

TEST_CASE("The history table records checksum, down SQL, who and how long", "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  auto builder = basic();
  strata::Migrator migrator{db.url(), builder.set()};
  (void)migrator.up();
  const std::vector<strata::HistoryEntry> history = migrator.history();
  REQUIRE(history.size() == 3);
  CHECK(history[0].checksum == std::string{builder.set()[0].checksum});
  CHECK(history[0].has_down);
  CHECK(history[0].applied_by == scalar(conn, "SELECT current_user"));
  CHECK(history[0].execution_ms.has_value());
  CHECK(history[0].applied_at.find('T') != std::string::npos);
  CHECK(history[0].run == 1);
  CHECK(scalar(conn, "SELECT down_sql FROM strata_migrations WHERE version = '20240101000002'") ==
        "ALTER TABLE users DROP COLUMN name;\n");
  CHECK(scalar(conn, "SELECT obj_description('strata_migrations'::regclass, 'pg_class')") ==
        "strata history, layout 2");
}

TEST_CASE("plan() shows pending and applied migrations and creates nothing", "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  auto builder = basic();
  strata::Migrator migrator{db.url(), builder.set()};
  strata::Plan plan = migrator.plan();
  CHECK(plan.count(strata::MigrationState::pending) == 3);
  CHECK(plan.has_pending());
  CHECK(scalar(conn, "SELECT to_regclass('strata_migrations')::text").empty());

  (void)migrator.up("20240101000002");
  plan = migrator.plan();
  CHECK(plan.count(strata::MigrationState::applied) == 2);
  REQUIRE(plan.entries.size() == 3);
  CHECK(plan.entries[2].state == strata::MigrationState::pending);
  CHECK(plan.entries[0].applied_checksum == plan.entries[0].checksum);
  CHECK_THROWS_AS(migrator.up("20991231000000"), strata::ConfigurationError);
}

TEST_CASE("A plan from a history read taken earlier is the plan of that moment", "[db][migrator]") {
  strata::test::TempDatabase db;
  auto builder = basic();
  strata::MigratorOptions options = history_table(R"("Strata Meta".history)");
  strata::Migrator migrator{db.url(), builder.set(), options};
  (void)migrator.up("20240101000002");

  strata::pq::Connection reader{db.url()};
  strata::HistoryRead read{strata::BorrowedConnection{reader.native()}, options.history_table};
  CHECK(migrator.up().steps.size() == 1);  // after the read
  const strata::Plan then = migrator.plan(std::move(read));
  CHECK(then.count(strata::MigrationState::applied) == 2);
  CHECK(then.count(strata::MigrationState::pending) == 1);
  CHECK(migrator.plan().count(strata::MigrationState::applied) == 3);  // plan() reads again

  strata::test::TempDatabase fresh;
  strata::pq::Connection empty{fresh.url()};
  strata::HistoryRead nothing{strata::BorrowedConnection{empty.native()}, options.history_table};
  strata::Migrator on_fresh{fresh.url(), builder.set(), options};
  CHECK(on_fresh.plan(std::move(nothing)).count(strata::MigrationState::pending) == 3);
  CHECK(scalar(empty, "SELECT to_regclass('\"Strata Meta\".history')::text").empty());
}

TEST_CASE("A history read of another table or a newer layout is refused, an older one is read",
          "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  auto builder = basic();
  strata::Migrator migrator{db.url(), builder.set()};
  (void)migrator.up();
  strata::HistoryRead other{strata::BorrowedConnection{conn.native()}, "other_history"};
  CHECK_THROWS_WITH(migrator.plan(std::move(other)),
                    Catch::Contains("other_history") && Catch::Contains("strata_migrations"));
  // An older layout is read the careful way, as plan() reads it.
  (void)conn.exec(
      "ALTER TABLE strata_migrations DROP COLUMN adopted_from; "
      "COMMENT ON TABLE strata_migrations IS 'strata history, layout 1'");
  strata::HistoryRead older{strata::BorrowedConnection{conn.native()}};
  CHECK(migrator.plan(std::move(older)).count(strata::MigrationState::applied) == 3);
  (void)conn.exec(
      "ALTER TABLE strata_migrations ADD COLUMN adopted_from text; TRUNCATE strata_migrations; "
      "COMMENT ON TABLE strata_migrations IS 'strata history, layout 2'");
  strata::HistoryRead empty{strata::BorrowedConnection{conn.native()}};
  const strata::Plan from_empty = migrator.plan(std::move(empty));
  CHECK(from_empty.count(strata::MigrationState::pending) == 3);
  CHECK(from_empty.entries.size() == 3);
  (void)conn.exec("COMMENT ON TABLE strata_migrations IS 'strata history, layout 99'");
  CHECK_THROWS_WITH((strata::HistoryRead{strata::BorrowedConnection{conn.native()}}),
                    Catch::Contains("newer strata (layout 99"));
}

TEST_CASE("down(steps) rolls back the newest migrations only", "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  auto builder = basic();
  strata::Migrator migrator{db.url(), builder.set()};
  (void)migrator.up();
  const strata::RunReport report = migrator.down(2);
  REQUIRE(report.steps.size() == 2);
  CHECK(report.steps[0].version == "20240101000003");
  CHECK(report.steps[1].version == "20240101000002");
  CHECK(history_rows(conn) ==
        std::vector<std::string>{"migration 20240101000001 create_users 0 applied"});
  CHECK(scalar(conn,
               "SELECT count(*) FROM information_schema.columns WHERE column_name = 'name' "
               "AND table_name = 'users'") == "0");
  CHECK_THROWS_AS(migrator.down_to("not-a-version"), strata::ConfigurationError);
}

TEST_CASE("up_sql() returns the SQL up() sends, history writes included, and changes nothing",
          "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  auto builder = basic();
  strata::Migrator migrator{db.url(), builder.set()};
  const std::vector<std::string> sql = migrator.up_sql();
  REQUIRE(sql.size() == 4);  // the history table, then one round trip per migration
  CHECK(sql[0].find("CREATE TABLE \"strata_migrations\"") != std::string::npos);
  CHECK(sql[1].starts_with("BEGIN;\nCREATE TABLE users"));
  CHECK(sql[1].find("INSERT INTO \"strata_migrations\"") != std::string::npos);
  CHECK(sql[1].ends_with("COMMIT;"));
  CHECK(scalar(conn, "SELECT to_regclass('users')::text").empty());
}

TEST_CASE("A no-op run costs one round trip after connecting", "[db][migrator]") {
  strata::test::TempDatabase db;
  auto builder = basic();
  {
    strata::Migrator migrator{db.url(), builder.set()};
    (void)migrator.up();
  }
  // A borrowed connection with libpq's protocol trace on: every round trip ends with a Query
  // (simple protocol) or a Sync (extended protocol) message from the client.
  strata::pq::Connection conn{db.url()};
  std::unique_ptr<FILE, int (*)(FILE*)> trace{std::tmpfile(), &std::fclose};
  REQUIRE(trace);
  PQtrace(conn.native(), trace.get());
  {
    strata::Migrator migrator{strata::BorrowedConnection{conn.native()}, builder.set()};
    CHECK(migrator.up().steps.empty());
  }
  PQuntrace(conn.native());
  std::rewind(trace.get());
  int round_trips = 0;
  std::array<char, 4096> line{};
  while (std::fgets(line.data(), static_cast<int>(line.size()), trace.get()) != nullptr) {
    const std::string text{line.data()};
    if (text.find("\tF\t") != std::string::npos &&
        (text.find("\tQuery\t") != std::string::npos || text.find("\tSync") != std::string::npos)) {
      ++round_trips;
    }
  }
  CHECK(round_trips == 1);  // the issue allows two
  CHECK(conn.usable());     // the borrowed connection is still the caller's, open
}

TEST_CASE("Events report each migration with its duration, and server notices", "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::test::SetBuilder builder;
  builder.migration("1", "noisy", "DO $$ BEGIN RAISE NOTICE 'hello from %', 1; END $$;\n");
  std::vector<strata::Event> events;
  strata::MigratorOptions options;
  options.on_event = [&](const strata::Event& event) { events.push_back(event); };
  strata::Migrator migrator{db.url(), builder.set(), options};
  (void)migrator.up();
  std::vector<strata::Event::Type> types;
  types.reserve(events.size());
  for (const auto& event : events)
    types.push_back(event.type);
  using Type = strata::Event::Type;
  CHECK(types == std::vector<Type>{Type::lock_acquired, Type::migration_started, Type::notice,
                                   Type::migration_finished});
  CHECK(events[2].message == "hello from 1");
  CHECK(events[2].severity == "NOTICE");
  CHECK(events[2].version == "1");
  CHECK(events[3].name == "noisy");
}

TEST_CASE("A schema-qualified history table with quoted names is created on first use",
          "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  auto builder = basic();
  strata::MigratorOptions options;
  options.history_table = R"("Strata Meta"."History")";
  strata::Migrator migrator{db.url(), builder.set(), options};
  CHECK(migrator.up().steps.size() == 3);
  CHECK(scalar(conn, "SELECT count(*) FROM \"Strata Meta\".\"History\"") == "3");
  CHECK(scalar(conn, "SELECT to_regclass('strata_migrations')::text").empty());

  options.history_table = "Migration.History";  // unquoted: folded to lower case, as SQL does
  strata::Migrator other{db.url(), builder.set(), options};
  CHECK(other.plan().count(strata::MigrationState::pending) == 3);
  CHECK_THROWS_AS((strata::Migrator{db.url(), builder.set(), history_table("a.b.c")}),
                  strata::ConfigurationError);
  CHECK_THROWS_AS((strata::Migrator{db.url(), builder.set(), history_table("\"open")}),
                  strata::ConfigurationError);
}

TEST_CASE("A history table written by a newer strata is refused, not misread", "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  (void)conn.exec(
      "CREATE TABLE strata_migrations (id int); "
      "COMMENT ON TABLE strata_migrations IS 'strata history, layout 99'");
  auto builder = basic();
  strata::Migrator migrator{db.url(), builder.set()};
  CHECK_THROWS_WITH(migrator.plan(), Catch::Contains("newer strata (layout 99"));
  (void)conn.exec("COMMENT ON TABLE strata_migrations IS 'something else'");
  CHECK_THROWS_WITH(migrator.up(), Catch::Contains("not a strata history table"));
}

TEST_CASE("Timeout options apply per migration with SET LOCAL", "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "slow", "CREATE TABLE t (id int);\nSELECT pg_sleep(2);\n");
  strata::MigratorOptions options;
  options.statement_timeout = std::chrono::milliseconds{100};
  options.statement_lock_timeout = std::chrono::milliseconds{50};
  {
    strata::Migrator migrator{strata::BorrowedConnection{conn.native()}, builder.set(), options};
    try {
      (void)migrator.up();
      FAIL("the statement timeout should have cancelled the migration");
    } catch (const strata::SqlError& error) {
      CHECK(error.sqlstate() == "57014");
      CHECK(error.fields().source.line == 3);
    }
  }
  CHECK(scalar(conn, "SHOW statement_timeout") == "0");  // SET LOCAL ended with the transaction
  CHECK(scalar(conn, "SELECT to_regclass('t')::text").empty());
}

TEST_CASE("The connection string is shown with its password replaced", "[db][migrator]") {
  strata::test::TempDatabase db;
  std::string url = db.url();
  url.replace(url.find("postgres@"), 9, "postgres:hunter2@");  // trust auth ignores it
  auto builder = basic();
  strata::Migrator migrator{url, builder.set()};
  CHECK(migrator.redacted_conninfo().find("hunter2") == std::string::npos);
  CHECK(migrator.redacted_conninfo().find("postgres:***@") != std::string::npos);
}

TEST_CASE("A migration that changes search_path does not move the history writes",
          "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  strata::test::SetBuilder builder;
  builder
      .migration("1", "elsewhere",
                 "CREATE SCHEMA elsewhere;\nSET search_path TO elsewhere;\n"
                 "CREATE TABLE strata_migrations (id int);\n")
      .migration("2", "next", "CREATE TABLE inside (id int);\n");
  strata::Migrator migrator{db.url(), builder.set()};
  CHECK(migrator.up().steps.size() == 2);
  CHECK(history_rows(conn, "public.strata_migrations") ==
        std::vector<std::string>{"migration 1 elsewhere 0 applied", "migration 2 next 0 applied"});
  CHECK(scalar(conn, "SELECT count(*) FROM elsewhere.strata_migrations") == "0");
  CHECK(migrator.plan().count(strata::MigrationState::applied) == 2);  // same session, same table
}
