// The `strata` tool behind a real PgBouncer (the `pgbouncer` fixture): in transaction pooling mode
// the migration lock cannot be held, so every run refuses before changing anything and leaves no
// lock behind; in session pooling mode everything works as over a direct connection.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"

using strata::test::BackgroundProcess;
using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

// Short transactions through the pooler on `url` from two clients, until this goes away: the
// "other clients on the pool" that take the server connections strata lets go of.
class PoolTraffic {
 public:
  explicit PoolTraffic(const std::string& url) {
    for (int i = 0; i < 2; ++i) {
      m_threads.emplace_back([this, url] {
        strata::pq::Connection conn{url, "pool-traffic"};
        while (!m_stop)
          (void)conn.exec("SELECT pg_catalog.pg_sleep(0.002)");
      });
    }
  }
  ~PoolTraffic() {
    m_stop = true;
    for (std::thread& thread : m_threads)
      thread.join();
  }
  PoolTraffic(const PoolTraffic&) = delete;
  PoolTraffic& operator=(const PoolTraffic&) = delete;

 private:
  std::atomic<bool> m_stop{false};
  std::vector<std::thread> m_threads;
};

// Advisory locks granted in `database`, seen over a direct connection.
long advisory_locks(const std::string& database) {
  strata::pq::Connection direct{strata::test::cluster_url()};
  const strata::pq::Result result = direct.exec_params(
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
      "(SELECT oid FROM pg_database WHERE datname = $1)",
      {database});
  return std::stol(std::string{result.text(0, 0)});
}

bool table_exists(const std::string& url, const std::string& table) {
  strata::pq::Connection direct{url};
  return direct.exec_params("SELECT to_regclass($1) IS NOT NULL", {table}).text(0, 0) == "t";
}

std::vector<ProcessResult> run_at_once(int count, const std::vector<std::string>& args) {
  std::vector<std::unique_ptr<BackgroundProcess>> runs;
  for (int i = 0; i < count; ++i) {
    runs.push_back(
        std::make_unique<BackgroundProcess>(std::vector<std::string>{STRATA_TOOL_PATH} + args));
  }
  std::vector<ProcessResult> results;
  for (auto& run : runs)
    results.push_back(run->wait());
  return results;
}

}  // namespace

TEST_CASE(
    "Behind a transaction-pooling PgBouncer, eight runs at once refuse before changing anything "
    "and leave no lock behind",
    "[cli][db][pooler]") {
  TempDatabase db;
  const std::string pooled = strata::test::pooler_url("transaction", db.name());
  std::vector<ProcessResult> results;
  {
    PoolTraffic traffic{pooled};
    results =
        run_at_once(8, std::vector<std::string>{"up", "--lock-timeout", "20s", "--url", pooled} +
                           strata::test::sample_args());
  }
  for (const ProcessResult& result : results) {
    INFO(result.err << result.out);
    CHECK(result.exit_code == 2);
    REQUIRE(result.err_lines().size() == 1);
    CHECK_THAT(result.err, Catch::Contains("pool_mode = transaction"));
    CHECK_THAT(result.err, Catch::Contains("direct connection"));
    CHECK_THAT(result.err, Catch::Contains("changed nothing"));
  }
  CHECK(advisory_locks(db.name()) == 0);
  CHECK_FALSE(table_exists(db.url(), "strata_migrations"));
  CHECK_FALSE(table_exists(db.url(), "users"));

  // A direct connection migrates at once: nothing was left holding the lock.
  const ProcessResult direct =
      strata_tool(std::vector<std::string>{"up", "--lock-timeout", "2s", "--url", db.url()} +
                  strata::test::sample_args());
  INFO(direct.err);
  CHECK(direct.exit_code == 0);
}

TEST_CASE(
    "Behind a quiet transaction-pooling PgBouncer, up and down refuse and leave no lock behind",
    "[cli][db][pooler]") {
  TempDatabase db;
  REQUIRE(
      strata_tool(std::vector<std::string>{"up", "--url", db.url()} + strata::test::sample_args())
          .exit_code == 0);
  const std::string pooled = strata::test::pooler_url("transaction", db.name());
  strata::test::MigrationsCopy copy;
  copy.write("20990101000000_more.sql",
             "-- migrate:up\nCREATE TABLE more (id int);\n"
             "-- migrate:down\nDROP TABLE more;\n");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"up", "--url", pooled} + copy.args(),
        std::vector<std::string>{"down", "--url", pooled} + copy.args()}) {
    const ProcessResult result = strata_tool(args);
    INFO(args[0] << ": " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("pool_mode = transaction"));
    CHECK(advisory_locks(db.name()) == 0);
  }
  CHECK_FALSE(table_exists(db.url(), "more"));
  const ProcessResult status =
      strata_tool(std::vector<std::string>{"status", "--json", "--url", db.url()} + copy.args());
  for (const auto& [name, state] : strata::test::states(status.out))
    CHECK(state == (name.starts_with("20990101000000") ? "pending" : "applied"));
}

TEST_CASE("Behind a session-pooling PgBouncer, eight runs at once apply each migration once",
          "[cli][db][pooler]") {
  TempDatabase db;
  const std::string pooled = strata::test::pooler_url("session", db.name());
  const std::vector<ProcessResult> results =
      run_at_once(8, std::vector<std::string>{"up", "--lock-timeout", "60s", "--url", pooled} +
                         strata::test::sample_args());
  for (const ProcessResult& result : results) {
    INFO(result.err);
    CHECK(result.exit_code == 0);
  }
  const ProcessResult status =
      strata_tool(std::vector<std::string>{"status", "--json", "--url", db.url()} +
                  strata::test::sample_args());
  REQUIRE(status.exit_code == 0);
  for (const auto& [name, state] : strata::test::states(status.out))
    CHECK(state == "applied");

  const ProcessResult down =
      strata_tool(std::vector<std::string>{"down", "--url", pooled} + strata::test::sample_args());
  INFO(down.err);
  CHECK(down.exit_code == 0);
  CHECK(advisory_locks(db.name()) == 0);
}
