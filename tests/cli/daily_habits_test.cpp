// The habits dbmate and sqlx users bring: .env and STRATA_* variables, --wait, status
// --exit-code, `up` creating the database, the ./migrations hint, and `new` that names and numbers
// files the way the folder already does. Runs the real binary against the test cluster.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "support/database.hpp"

using strata::test::MigrationsCopy;
using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << text;
}

std::vector<std::string> file_names(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator{folder})
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string table_of(const ProcessResult& status) {
  INFO(status.err);
  REQUIRE(status.exit_code == 0);
  return strata::test::parse_json(status.out).get<std::string>("table");
}

// Lines holding only `;` right after a statement that already ended: empty statements.
int stray_semicolons(const std::string& sql) {
  int stray = 0;
  std::string previous;
  std::istringstream lines{sql};
  for (std::string line; std::getline(lines, line);) {
    if (line.empty())
      continue;
    if (line == ";" && previous.ends_with(';'))
      ++stray;
    previous = line;
  }
  return stray;
}

}  // namespace

TEST_CASE(
    ".env in the working folder configures the tool; the real environment and the command "
    "line win",
    "[cli][db]") {
  TempDatabase db;
  const MigrationsCopy copy;
  const std::string root = copy.dir().parent_path().string();
  write_file(copy.dir().parent_path() / ".env",
             "# what a project keeps next to its code\n"
             "DATABASE_URL=\"" +
                 db.url() +
                 "\"\n"
                 "export STRATA_MIGRATIONS_DIR=migrations\n"
                 "STRATA_ROUTINES_DIR='migrations/routines'\n"
                 "STRATA_TABLE=history_from_env_file  # a comment\n");
  CHECK(table_of(strata_tool({"status", "--json"}, {}, root)) == "history_from_env_file");
  CHECK(table_of(strata_tool({"status", "--json"}, {{"STRATA_TABLE", "real_history"}}, root)) ==
        "real_history");
  CHECK(table_of(strata_tool({"status", "--json", "--table", "given_history"},
                             {{"STRATA_TABLE", "real_history"}}, root)) == "given_history");
  // Every option has its variable: a switch, and a value that is checked like the option's.
  const ProcessResult json = strata_tool({"status"}, {{"STRATA_JSON", "1"}}, root);
  CHECK_THAT(json.out, Catch::StartsWith("{"));
  const ProcessResult bad = strata_tool({"up"}, {{"STRATA_LOCK_TIMEOUT", "forever"}}, root);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--lock-timeout: 'forever' is not a duration"));

  write_file(copy.dir().parent_path() / ".env", "STRATA_TABLE=x\nthis line is wrong\n");
  const ProcessResult broken = strata_tool({"status"}, {}, root);
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.err, Catch::Contains(".env:2: expected KEY=VALUE"));
}

TEST_CASE("A command given --wait waits for the server first, up to --wait-timeout", "[cli][db]") {
  TempDatabase db;
  const ProcessResult ready =
      strata_tool(std::vector<std::string>{"status", "--wait", "--url", db.url()} +
                  strata::test::sample_args());
  INFO(ready.err);
  CHECK(ready.exit_code == 0);
  const ProcessResult never =
      strata_tool(std::vector<std::string>{"status", "--wait", "--wait-timeout", "1s", "--url",
                                           "postgresql://postgres@127.0.0.1:1/x"} +
                  strata::test::sample_args());
  CHECK(never.exit_code == 1);
  CHECK_THAT(never.err, Catch::Contains("did not accept connections within 1.0s"));
  const ProcessResult dump = strata_tool({"dump", "--help"});
  CHECK_THAT(dump.out, Catch::Contains("--wait-timeout DURATION"));
}

TEST_CASE("status --exit-code exits 1 while something is pending, 0 when up to date", "[cli][db]") {
  TempDatabase db;
  const std::vector<std::string> url{"--url", db.url()};
  const std::vector<std::string> sample = strata::test::sample_args();
  CHECK(strata_tool(std::vector<std::string>{"status", "--exit-code"} + url + sample).exit_code ==
        1);
  CHECK(strata_tool(std::vector<std::string>{"status"} + url + sample).exit_code == 0);
  REQUIRE(strata_tool(std::vector<std::string>{"up"} + url + sample).exit_code == 0);
  CHECK(strata_tool(std::vector<std::string>{"status", "--exit-code"} + url + sample).exit_code ==
        0);
}

TEST_CASE("up on a database that does not exist creates it first", "[cli][db]") {
  const std::string name = "strata_habits_created_by_up";
  const std::string url = strata::test::with_database(strata::test::cluster_url(), name);
  static_cast<void>(strata_tool({"drop", "--url", url}));
  const ProcessResult up =
      strata_tool(std::vector<std::string>{"up", "--url", url} + strata::test::sample_args());
  INFO(up.err);
  CHECK(up.exit_code == 0);
  CHECK_THAT(up.out, Catch::StartsWith("Created database \"" + name + "\"\n"));
  CHECK_THAT(up.out, Catch::Contains("Applied"));
  CHECK(strata_tool({"drop", "--url", url}).exit_code == 0);
}

TEST_CASE("Without db/migrations, the error points at ./migrations when that exists", "[cli][db]") {
  const MigrationsCopy copy;
  const ProcessResult status = strata_tool({"status"}, {}, copy.dir().parent_path().string());
  CHECK(status.exit_code == 2);
  CHECK_THAT(status.err,
             Catch::Contains("no db/migrations; found ./migrations: pass -d migrations"));
}

TEST_CASE("new slugs the name, numbers sequential folders, and its empty file breaks nothing",
          "[cli][db]") {
  const MigrationsCopy copy;
  const std::filesystem::path sequential = copy.dir().parent_path() / "sqlx";
  write_file(sequential / "001_users.up.sql", "CREATE TABLE users (id int);\n");
  write_file(sequential / "002_posts.up.sql", "CREATE TABLE posts (id int);\n");
  const ProcessResult created =
      strata_tool({"new", "add user profiles table", "-d", sequential.string(), "--form", "pair"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK(file_names(sequential) == std::vector<std::string>{"001_users.up.sql", "002_posts.up.sql",
                                                           "003_add_user_profiles_table.down.sql",
                                                           "003_add_user_profiles_table.up.sql"});

  // A fresh dbmate file (empty up section) is a warning: status still works.
  TempDatabase db;
  REQUIRE(strata_tool({"new", "not filled in yet", "-d", copy.dir().string()}).exit_code == 0);
  const ProcessResult status =
      strata_tool(std::vector<std::string>{"status", "--url", db.url()} + copy.args());
  INFO(status.err);
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::Contains("_not_filled_in_yet  (pending)"));
  const ProcessResult check = strata_tool(std::vector<std::string>{"check"} + copy.args());
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.err, Catch::Contains("strata-W109"));
}

TEST_CASE("plan prints SQL that psql runs as it is, non-transactional migrations included",
          "[cli][db]") {
  TempDatabase db;
  const MigrationsCopy copy;
  copy.write("20260110090400_index_concurrently.sql",
             "-- migrate:up transaction:false\n"
             "CREATE INDEX CONCURRENTLY users_id_idx ON users (id);\n"
             "CREATE INDEX CONCURRENTLY sessions_user_idx ON sessions (user_id) -- no semicolon; "
             "on purpose\n"
             "-- migrate:down\nDROP INDEX users_id_idx;\nDROP INDEX sessions_user_idx;\n");
  const ProcessResult plan =
      strata_tool(std::vector<std::string>{"plan", "--url", db.url()} + copy.args());
  INFO(plan.err);
  REQUIRE(plan.exit_code == 0);
  CHECK(stray_semicolons(plan.out) == 0);
  CHECK_THAT(plan.out, Catch::Contains("CREATE INDEX CONCURRENTLY users_id_idx ON users (id);"));
  const std::filesystem::path script = copy.dir().parent_path() / "plan.sql";
  write_file(script, plan.out);
  const ProcessResult psql = strata::test::run_process(
      {"/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", script.string(), db.url()});
  INFO(psql.err);
  REQUIRE(psql.exit_code == 0);
  // What psql ran is what `up` would have done: nothing is pending, history rows included.
  const ProcessResult status = strata_tool(
      std::vector<std::string>{"status", "--exit-code", "--url", db.url()} + copy.args());
  INFO(status.out << status.err);
  CHECK(status.exit_code == 0);
}
