// The `strata` tool's run-time commands check the SQL of the migrations that are not applied
// unchanged, and only those: a migration applied unchanged was checked when it was applied.
// `-v` ends with a note of how many were checked.
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"

using strata::test::MigrationsCopy;
using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

ProcessResult tool(const TempDatabase& db, const std::vector<std::string>& args,
                   const MigrationsCopy& copy) {
  return strata_tool(args + std::vector<std::string>{"--url", db.url()} + copy.args());
}

std::string checked(int count) {
  return "checked the SQL of " + std::to_string(count) + " of 6 migrations";
}

// The sample's 4 migrations and 2 routines are 8 files.
std::string files_read(int count, int total = 8) {
  return "read " + std::to_string(count) + " of the " + std::to_string(total) + " migration files";
}

// A catalog cache folder of the test's own (STRATA_CATALOG_CACHE), removed when it goes away.
class CacheFolder {
 public:
  CacheFolder()
      : m_path(std::filesystem::temp_directory_path() /
               ("strata-catalog-cache-" + std::to_string(std::random_device{}()))) {}
  ~CacheFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  CacheFolder(const CacheFolder&) = delete;
  CacheFolder& operator=(const CacheFolder&) = delete;
  [[nodiscard]] strata::test::Environment environment() const {
    return {{"STRATA_CATALOG_CACHE", m_path.string()}};
  }

 private:
  std::filesystem::path m_path;
};

// A copy of the sample migrations, a database, and a catalog cache folder of their own.
struct CachedCopy {
  TempDatabase db;
  MigrationsCopy copy;
  CacheFolder cache;

  [[nodiscard]] ProcessResult run(const std::vector<std::string>& args) const {
    return strata_tool(args + std::vector<std::string>{"--url", db.url()} + copy.args(),
                       cache.environment());
  }
};

// The cache vouches only for files changed longer ago than its racy window (3 s): wait that out.
void age_past_racy_window() {
  std::this_thread::sleep_for(std::chrono::milliseconds{3200});
}

}  // namespace

TEST_CASE("A no-op up on an applied, unchanged folder checks the SQL of no migration",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  const ProcessResult first = tool(db, {"up", "-v"}, copy);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.err, Catch::Contains(checked(6)));

  const ProcessResult again = tool(db, {"up", "-v"}, copy);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains(checked(0)));
  for (const char* command : {"status", "verify", "plan", "history"}) {
    const ProcessResult read = tool(db, {command, "-v"}, copy);
    CHECK(read.exit_code == 0);
    CHECK_THAT(read.err, Catch::Contains(checked(0)));
  }
}

TEST_CASE("An applied migration edited afterwards is checked again and still reported as drifted",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  REQUIRE(tool(db, {"up"}, copy).exit_code == 0);
  copy.edit("20260110090200_create_audit_log.sql", "NOT NULL DEFAULT '{}'",
            "NOT NULL DEFAULT '{\"v\": 1}'");
  const ProcessResult status = tool(db, {"status", "--json", "-v"}, copy);
  REQUIRE(status.exit_code == 0);
  CHECK(strata::test::states(status.out)[2].second == "drifted");
  CHECK_THAT(status.err, Catch::Contains(checked(1)));
  CHECK(tool(db, {"up"}, copy).exit_code == 3);

  // An edit that breaks the SQL is reported where it is, like any compile error: status marks
  // the file with its first error, verify prints every diagnostic.
  copy.edit("20260110090200_create_audit_log.sql", "NOT NULL DEFAULT", "NOT NULL DEFAULT,");
  const ProcessResult broken = tool(db, {"status"}, copy);
  CHECK(broken.exit_code == 1);
  CHECK_THAT(broken.out, Catch::Contains("(drifted, does not compile)"));
  CHECK_THAT(broken.out, Catch::Contains("20260110090200_create_audit_log.sql:"));
  CHECK_THAT(broken.out, Catch::Contains("[strata-E201]"));
  const ProcessResult up = tool(db, {"verify"}, copy);
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Catch::Contains("20260110090200_create_audit_log.sql:"));
  CHECK_THAT(up.err, Catch::Contains("[strata-E201]"));
}

TEST_CASE("A pending migration with a syntax error fails up at its file:line:col, nothing applied",
          "[cli][db]") {
  TempDatabase db;
  MigrationsCopy copy;
  REQUIRE(tool(db, {"up"}, copy).exit_code == 0);
  copy.write(
      "20260110090400_add_flags.sql",
      "-- migrate:up\nCREATE TABLE ok_first (id int);\nCREATE TABLE flags (id int,, on bool);\n"
      "-- migrate:down\nDROP TABLE flags;\n");
  const ProcessResult up = tool(db, {"up"}, copy);
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Catch::Contains((copy.dir() / "20260110090400_add_flags.sql").string() +
                                     ":3:28: error: syntax error at or near \",\""));
  CHECK_THAT(up.err, Catch::Contains("strata: error: the migrations do not compile"));
  const ProcessResult status = tool(db, {"status", "--json"}, copy);
  CHECK(status.exit_code == 1);  // shows the state, marks the file (broken_pending_test.cpp)
  const ProcessResult history = tool(db, {"history", "--json", "-v"}, copy);
  CHECK(history.exit_code == 0);
  CHECK(history.out.find("add_flags") == std::string::npos);
}

TEST_CASE("An unchanged folder is compared through the catalog cache, and an edit is never hidden",
          "[cli][db]") {
  const CachedCopy folder;
  REQUIRE(folder.run({"up"}).exit_code == 0);
  const ProcessResult fresh = folder.run({"status", "-v"});  // files just written: read, not cached
  CHECK_THAT(fresh.err, Catch::Contains(files_read(8)));
  age_past_racy_window();
  CHECK_THAT(folder.run({"status", "-v"}).err, Catch::Contains(files_read(8)));  // read, and cached
  for (const char* command : {"status", "up", "verify", "plan"}) {
    const ProcessResult again = folder.run({command, "-v"});
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.err, Catch::Contains(files_read(0)) && Catch::Contains(checked(0)));
  }
  // history reads no migration's SQL either, but is not among the commands that use the cache:
  // only those proven to compare unread migrations by checksum alone do.
  CHECK_THAT(folder.run({"history", "-v"}).err, Catch::Contains(files_read(8)));

  // An edit that keeps the size, then the modification time put back as it was: the change time
  // still moves, and the drift shows.
  const std::filesystem::path edited = folder.copy.dir() / "20260110090200_create_audit_log.sql";
  const auto modified = std::filesystem::last_write_time(edited);
  folder.copy.edit("20260110090200_create_audit_log.sql", "NOT NULL DEFAULT '{}'",
                   "NOT NULL DEFAULT '[]'");
  std::filesystem::last_write_time(edited, modified);
  const ProcessResult status = folder.run({"status", "--json", "-v"});
  REQUIRE(status.exit_code == 0);
  CHECK(strata::test::states(status.out)[2].second == "drifted");
  CHECK(folder.run({"up"}).exit_code == 3);
}

TEST_CASE("A pending migration the catalog cache vouched for is read and checked before up runs it",
          "[cli][db]") {
  const CachedCopy folder;
  REQUIRE(folder.run({"up"}).exit_code == 0);
  folder.copy.write(
      "20260110090400_add_flags.sql",
      "-- migrate:up\nCREATE TABLE ok_first (id int);\nCREATE TABLE flags (id int,, on bool);\n"
      "-- migrate:down\nDROP TABLE flags;\n");
  age_past_racy_window();
  CHECK(folder.run({"status"}).exit_code ==
        1);  // caches the folder; the pending file does not compile
  const ProcessResult status = folder.run({"status", "-v"});
  CHECK(status.exit_code == 1);
  CHECK_THAT(status.err, Catch::Contains(files_read(1, 9)));  // only the pending one
  const ProcessResult up = folder.run({"up", "-v"});
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Catch::Contains((folder.copy.dir() / "20260110090400_add_flags.sql").string() +
                                     ":3:28: error: syntax error at or near \",\""));
  strata::pq::Connection conn{folder.db.url()};
  CHECK(conn.exec("SELECT to_regclass('ok_first') IS NULL").text(0, 0) == "t");
}
