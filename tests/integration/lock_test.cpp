// The migration lock's identity: one lock per history table however its name is spelled, and
// history tables whose names are as long as PostgreSQL allows.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <strata/migrator.hpp>

#include <catch2/catch.hpp>

#include "history.hpp"
#include "integration/db_helpers.hpp"
#include "integration/scenarios.hpp"
#include "support/database.hpp"

namespace {

std::int64_t key_of(strata::pq::Connection& conn, const std::string& name) {
  strata::detail::History history{conn, strata::detail::HistoryTable{name}};
  return history.lock_key();
}

}  // namespace

TEST_CASE("Every spelling of one history table names one migration lock", "[db][lock]") {
  strata::test::TempDatabase db;
  strata::pq::Connection conn{db.url()};
  const std::int64_t plain = key_of(conn, "strata_migrations");
  CHECK(key_of(conn, "public.strata_migrations") == plain);
  CHECK(key_of(conn, "PUBLIC.Strata_Migrations") == plain);
  CHECK(key_of(conn, "\"public\".\"strata_migrations\"") == plain);
  CHECK(key_of(conn, "a.b") == key_of(conn, "A.B"));
  CHECK(key_of(conn, "a.b") != key_of(conn, "a.c"));
  CHECK(key_of(conn, "a.b") != key_of(conn, "b"));
  // Names past 63 bytes are truncated by the server: two that truncate alike are one table.
  const std::string long_schema(63, 's');
  CHECK(key_of(conn, long_schema + "x.history") == key_of(conn, long_schema + "y.history"));
  CHECK(key_of(conn, long_schema + ".history") == key_of(conn, long_schema + "z.history"));
  // Once the table exists, an unqualified name means the table that search_path finds.
  (void)conn.exec("CREATE SCHEMA other; SET search_path = other, public");
  CHECK(key_of(conn, "strata_migrations") == key_of(conn, "other.strata_migrations"));
}

TEST_CASE("A runner naming the history table schema-qualified waits for one that does not",
          "[db][lock]") {
  strata::test::TempDatabase db;
  strata::pq::Connection holder{db.url(), "plain-spelling"};
  // What a run with the default table name holds while it migrates.
  (void)holder.exec("SELECT pg_advisory_lock(" +
                    std::to_string(key_of(holder, "strata_migrations")) + ")");

  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  strata::MigratorOptions options;
  options.history_table = "public.strata_migrations";
  options.lock_timeout = std::chrono::milliseconds{300};
  strata::Migrator qualified{db.url(), builder.set(), options};
  CHECK_THROWS_WITH(qualified.up(), Catch::Contains("plain-spelling"));
  CHECK(strata::test::scalar(holder, "SELECT to_regclass('strata_migrations') IS NULL") == "t");

  (void)holder.exec("SELECT pg_advisory_unlock_all()");
  CHECK(qualified.up().steps.size() == 3);
}

TEST_CASE("History tables named with 62 and 63 characters work from the first run", "[db][lock]") {
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  for (const std::size_t length : {62U, 63U}) {
    INFO(length);
    strata::test::TempDatabase db;
    strata::MigratorOptions options;
    options.history_table = std::string(length, 'h');
    strata::Migrator migrator{db.url(), builder.set(), options};
    CHECK(migrator.up().steps.size() == 3);
    CHECK(migrator.up().steps.empty());
    CHECK(migrator.down(1).steps.size() == 1);
    CHECK(migrator.up().steps.size() == 1);
  }
}

TEST_CASE("A lock timeout too long for the clock waits for the lock instead of giving up at once",
          "[db][lock]") {
  strata::test::TempDatabase db;
  strata::pq::Connection holder{db.url(), "slow-holder"};
  (void)holder.exec("SELECT pg_advisory_lock(" +
                    std::to_string(key_of(holder, "strata_migrations")) + ")");
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  strata::MigratorOptions options;
  options.lock_timeout = std::chrono::milliseconds::max();
  bool waited = false;
  options.on_event = [&](const strata::Event& event) {
    if (event.type == strata::Event::Type::lock_waiting && !waited) {
      waited = true;
      (void)holder.exec("SELECT pg_advisory_unlock_all()");  // the holder finishes
    }
  };
  strata::Migrator migrator{db.url(), builder.set(), options};
  CHECK(migrator.up().steps.size() == 3);
  CHECK(waited);
}

TEST_CASE("A migration blocked by another session's lock reports who holds it, once",
          "[db][lock]") {
  strata::test::TempDatabase db;
  strata::pq::Connection setup{db.url()};
  (void)setup.exec("CREATE TABLE busy (id int)");
  strata::pq::Connection reader{db.url(), "long-reader"};
  (void)reader.exec("BEGIN; SELECT * FROM busy");  // idle in transaction, holding ACCESS SHARE

  strata::test::SetBuilder builder;
  builder.migration("1", "widen", "ALTER TABLE busy ADD COLUMN note text;\n");
  strata::MigratorOptions options;
  options.statement_lock_timeout = std::chrono::seconds{60};  // a failing test must not hang
  std::vector<std::string> reports;
  options.on_event = [&](const strata::Event& event) {
    if (event.type != strata::Event::Type::lock_waiting)
      return;
    reports.push_back(event.message);
    (void)reader.exec("COMMIT");  // the reader finishes once it is named
  };
  strata::Migrator migrator{db.url(), builder.set(), options};
  CHECK(migrator.up().steps.size() == 1);
  REQUIRE(reports.size() == 1);
  CHECK_THAT(reports[0],
             Catch::StartsWith("the running migration waits for a lock held by pid " +
                               strata::test::scalar(reader, "SELECT pg_backend_pid()")));
  CHECK_THAT(reports[0], Catch::Contains("application_name \"long-reader\"") &&
                             Catch::Contains("idle in transaction") &&
                             Catch::Contains("query started"));
}

TEST_CASE("Waiting for the migration lock is said once per holder, however long the holder works",
          "[db][lock]") {
  strata::test::TempDatabase db;
  strata::pq::Connection holder{db.url(), "busy-holder"};
  (void)holder.exec("SELECT pg_advisory_lock(" +
                    std::to_string(key_of(holder, "strata_migrations")) + ")");
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  strata::MigratorOptions options;
  options.lock_timeout = std::chrono::seconds{60};
  std::vector<std::string> waits;
  std::atomic<bool> waiting{false};
  options.on_event = [&](const strata::Event& event) {
    if (event.type == strata::Event::Type::lock_waiting) {
      waits.push_back(event.message);
      waiting = true;
    }
  };
  // The holder keeps working (its state and times change) while the migrator polls; it lets go
  // after a number of its statements, not after a time.
  strata::Migrator migrator{db.url(), builder.set(), options};
  std::thread work{[&] {
    while (!waiting)
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
    for (int statement = 0; statement < 40; ++statement)
      (void)holder.exec("SELECT pg_sleep(0.02)");
    (void)holder.exec("SELECT pg_advisory_unlock_all()");
  }};
  const strata::RunReport report = migrator.up();
  work.join();
  CHECK(report.steps.size() == 3);
  REQUIRE(waits.size() == 1);
  CHECK_THAT(waits[0], Catch::StartsWith("waiting for the migration lock on \"strata_migrations\", "
                                         "held by pid "));
  CHECK_THAT(waits[0], Catch::Contains("busy-holder"));
}

TEST_CASE("A read-only database is refused with a message that points at the primary",
          "[db][lock]") {
  strata::test::TempDatabase db;
  {
    strata::pq::Connection admin{strata::test::cluster_url()};
    (void)admin.exec("ALTER DATABASE " + admin.quote_identifier(db.name()) +
                     " SET default_transaction_read_only = on");
  }
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  strata::Migrator migrator{db.url(), builder.set(), {}};
  CHECK_THROWS_WITH(migrator.up(), Catch::Contains("is read-only") &&
                                       Catch::Contains("default_transaction_read_only") &&
                                       Catch::Contains("primary"));
  strata::pq::Connection check{db.url()};
  // Other tests run beside this one: only this database's locks count.
  CHECK(strata::test::scalar(check,
                             "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                             "AND database = (SELECT oid FROM pg_database "
                             "WHERE datname = current_database())") == "0");
}

TEST_CASE("A lock held across operations covers up and down, and other migrators wait for it",
          "[db][lock]") {
  strata::test::TempDatabase db;
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  strata::MigratorOptions impatient;
  impatient.lock_timeout = std::chrono::milliseconds{200};
  strata::Migrator owner{db.url(), builder.set()};
  strata::Migrator other{db.url(), builder.set(), impatient};
  strata::pq::Connection observer{db.url()};
  // Of this database only: tests running at the same time hold locks in theirs.
  const std::string lock_count =
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
      "(SELECT oid FROM pg_database WHERE datname = current_database())";
  {
    strata::Migrator::LockHold hold = owner.hold_lock();
    CHECK_THROWS_AS(owner.hold_lock(), strata::ConfigurationError);
    CHECK(owner.up().steps.size() == 3);
    CHECK(owner.down(1).steps.size() == 1);
    CHECK(owner.up().steps.size() == 1);
    // One lock, held through all three: the operations neither stack nor drop it.
    CHECK(observer.exec(lock_count).text(0, 0) == "1");
    // (other.up() would not wait: with nothing to apply it never takes the lock.)
    CHECK_THROWS_AS(other.down(1), strata::LockTimeoutError);
    hold.release();
    CHECK(observer.exec(lock_count).text(0, 0) == "0");
  }
  CHECK(other.up().steps.empty());
  {
    const strata::Migrator::LockHold hold = owner.hold_lock();
    CHECK_THROWS_AS(other.down(1), strata::LockTimeoutError);
  }  // released when it goes
  CHECK(other.down(1).steps.size() == 1);
}

TEST_CASE("A hold whose release fails is over: the migrator takes the lock again afterwards",
          "[db][lock]") {
  strata::test::TempDatabase db;
  strata::test::SetBuilder builder;
  strata::test::add_scenario(builder, "basic");
  strata::pq::Connection conn{db.url()};
  strata::Migrator owner{strata::BorrowedConnection{conn.native()}, builder.set()};
  strata::Migrator::LockHold hold = owner.hold_lock();
  // The lock goes behind the hold's back: its release finds nothing held, and says so.
  (void)conn.exec("SELECT pg_advisory_unlock_all()");
  CHECK_THROWS_AS(hold.release(), strata::Error);
  // Not still counted as held: operations take the lock again, and a new hold can be had.
  const strata::Migrator::LockHold again = owner.hold_lock();
  CHECK(owner.up().steps.size() == 3);
}
