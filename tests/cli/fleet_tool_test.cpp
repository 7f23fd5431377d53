// The fleet through the `strata` tool: one command over many tenant databases or schemas, one
// report, the worst exit code.
#include <deque>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "pq/conninfo_text.hpp"
#include "support/database.hpp"

using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

// Every TempDatabase this test process has open (their names share the process id).
std::string this_process_databases() {
  return "strata\\_test\\_" + std::to_string(::getpid()) + "\\_%";
}

std::string count(const std::string& url, const std::string& sql) {
  strata::pq::Connection conn{url};
  return std::string{conn.exec(sql).text(0, 0)};
}

// A file removed when the test ends.
struct TempFile {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("strata-fleet-" + std::to_string(::getpid()) + ".txt");
  explicit TempFile(const std::string& text) { std::ofstream{path} << text; }
  ~TempFile() { std::filesystem::remove(path); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

}  // namespace

TEST_CASE("up over a fleet migrates every tenant but the conflicting one, names it, exits 1",
          "[db][cli][fleet]") {
  std::deque<TempDatabase> tenants(12);
  {
    strata::pq::Connection conn{tenants[6].url()};
    conn.exec("CREATE TABLE users (id int)");
  }
  const ProcessResult result =
      strata_tool(std::vector<std::string>{"up", "--each-database", this_process_databases(),
                                           "--jobs", "4", "--url", strata::test::cluster_url()} +
                  strata::test::sample_args());
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  const std::string failing = tenants[6].name();
  CHECK(result.out.find(failing + ": failed") != std::string::npos);
  CHECK(result.out.find("20260110090000_create_users.sql:") != std::string::npos);
  CHECK(result.out.find("42P07") != std::string::npos);
  CHECK(result.out.find("11 migrated, 1 failed: " + failing + "\n") != std::string::npos);
  for (const TempDatabase& tenant : tenants) {
    const std::string applied =
        count(tenant.url(), "SELECT count(*) FROM strata_migrations WHERE kind = 'migration'");
    CHECK(applied == (tenant.name() == failing ? "0" : "4"));
  }
}

TEST_CASE("status --json over a fleet is one document with an entry per target",
          "[db][cli][fleet]") {
  std::deque<TempDatabase> tenants(3);
  const std::vector<std::string> args =
      std::vector<std::string>{"--each-database", this_process_databases(), "--url",
                               strata::test::cluster_url()} +
      strata::test::sample_args();
  REQUIRE(strata_tool(std::vector<std::string>{"up"} + args).exit_code == 0);
  const ProcessResult result = strata_tool(std::vector<std::string>{"status", "--json"} + args);
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  const auto document = strata::test::parse_json(result.out);
  const auto& targets = document.get_child("targets");
  CHECK(targets.size() == 3);
  for (const auto& [key, target] : targets) {
    CHECK(target.get<std::string>("status") == "ok");
    CHECK(target.get_child("result.migrations").size() >= 4);
  }
}

TEST_CASE("up over schemas gives each tenant schema its own tables and history",
          "[db][cli][fleet]") {
  TempDatabase db;
  {
    strata::pq::Connection conn{db.url()};
    conn.exec("CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA tenant_c");
  }
  const ProcessResult result =
      strata_tool(std::vector<std::string>{"up", "--each-schema", "tenant\\_%", "--url", db.url()} +
                  strata::test::sample_args());
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("3 migrated\n") != std::string::npos);
  for (const char* schema : {"tenant_a", "tenant_b", "tenant_c"}) {
    CHECK(count(db.url(), std::string{"SELECT count(*) FROM "} + schema +
                              ".strata_migrations WHERE kind = 'migration'") == "4");
    CHECK(count(db.url(), std::string{"SELECT count(*) FROM pg_tables WHERE schemaname = '"} +
                              schema + "' AND tablename = 'users'") == "1");
  }
  CHECK(count(db.url(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0");
}

TEST_CASE(
    "A urls file lists the targets, a malformed line is named and a password is never printed",
    "[db][cli][fleet]") {
  TempDatabase a;
  TempDatabase b;
  // The test server trusts local connections, so the password is sent and ignored.
  const TempFile good{"# tenants\n" + a.url() + "\n\n" +
                      strata::pq::rewrite_conninfo(b.url(), {{"password", "s3cretpw"}}) + "\n"};
  const ProcessResult result =
      strata_tool(std::vector<std::string>{"up", "--urls-file", good.path.string()} +
                  strata::test::sample_args());
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("2 migrated") != std::string::npos);
  CHECK((result.out + result.err).find("s3cretpw") == std::string::npos);

  const TempFile bad{a.url() + "\npassword=s3cretpw dbname\n"};
  const ProcessResult refused =
      strata_tool(std::vector<std::string>{"status", "--urls-file", bad.path.string()} +
                  strata::test::sample_args());
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(bad.path.string() + ":2: ") != std::string::npos);
  CHECK((refused.out + refused.err).find("s3cretpw") == std::string::npos);
}

TEST_CASE("An empty fleet selection is an error naming the pattern", "[db][cli][fleet]") {
  const ProcessResult result =
      strata_tool(std::vector<std::string>{"status", "--each-database", "no\\_tenant\\_%", "--url",
                                           strata::test::cluster_url()} +
                  strata::test::sample_args());
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("no database matches 'no\\_tenant\\_%' on ") != std::string::npos);
}

TEST_CASE("Asking for jobs or fail-fast without a fleet is a usage error", "[db][cli][fleet]") {
  const ProcessResult result =
      strata_tool(std::vector<std::string>{"up", "--jobs", "4"} + strata::test::sample_args());
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--jobs needs a fleet") != std::string::npos);
}

TEST_CASE("adopt over a fleet takes over every tenant that dbmate migrated", "[db][cli][fleet]") {
  TempDatabase a;
  TempDatabase b;
  for (const TempDatabase* db : {&a, &b}) {
    strata::pq::Connection conn{db->url()};
    conn.exec(
        "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);"
        "INSERT INTO schema_migrations VALUES ('20260110090000')");
  }
  const TempFile targets{a.url() + "\n" + b.url() + "\n"};
  const ProcessResult result = strata_tool(
      std::vector<std::string>{"adopt", "--from", "dbmate", "--urls-file", targets.path.string()} +
      strata::test::sample_args());
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("2 ok") != std::string::npos);
  for (const TempDatabase* db : {&a, &b}) {
    CHECK(count(db->url(),
                "SELECT count(*) FROM strata_migrations WHERE adopted_from = 'dbmate' "
                "AND version = '20260110090000'") == "1");
  }
}
