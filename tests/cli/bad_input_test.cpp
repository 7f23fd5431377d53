// Bad input to the real binaries: each mistake gets one line on stderr and its documented exit
// code, never a stack trace or an abort, and no password ever reaches the output.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"
#include "utf8.hpp"

using strata::test::cluster_authority;
using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

const std::vector<std::string> k_sample = strata::test::sample_args();

// One line on stderr starting "strata: error: ", nothing on stdout, the given exit code.
void check_one_line_error(const ProcessResult& result, int code, const std::string& contains) {
  INFO("stderr: " << result.err << "stdout: " << result.out);
  CHECK(result.exit_code == code);
  CHECK(result.out.empty());
  REQUIRE(result.err_lines().size() == 1);
  CHECK_THAT(result.err, Catch::StartsWith("strata: error: "));
  CHECK_THAT(result.err, Catch::Contains(contains));
}

}  // namespace

TEST_CASE("Usage mistakes get one line and exit code 2", "[cli][db]") {
  check_one_line_error(strata_tool({"frobnicate"}), 2, "unknown command 'frobnicate'");
  check_one_line_error(strata_tool({"status", "--frob"}), 2, "--frob");
  check_one_line_error(strata_tool({"status", "--to", "5"}), 2,
                       "'--to' is not an option of status");
  check_one_line_error(strata_tool({"down", "--steps", "-3"}), 2, "--steps");
  check_one_line_error(strata_tool({"up", "--to", "not-a-version", "--url", "postgresql://x/y"}), 2,
                       "'not-a-version' is not a migration version");
  check_one_line_error(strata_tool({"up", "--lock-timeout", "forever"}), 2, "--lock-timeout");
  check_one_line_error(strata_tool({}), 2, "no command given");
  check_one_line_error(
      strata_tool(std::vector<std::string>{"status", "--url", "host=h nonsense_key=1"} + k_sample),
      2, "invalid connection string");
  check_one_line_error(strata_tool({"status", "-d", "/no/such/folder"}), 2,
                       "no migrations folder /no/such/folder");
}

TEST_CASE("Help lists the commands and the exit codes and exits 0", "[cli][db]") {
  const ProcessResult help = strata_tool({"--help"});
  CHECK(help.exit_code == 0);
  for (const char* command :
       {"status", "up", "down", "rollback", "redo", "verify", "plan", "history", "resolve", "wait",
        "create", "drop", "dump", "check", "generate", "new"}) {
    CHECK_THAT(help.out, Catch::Contains(std::string{"\n  "} + command + " "));
  }
  CHECK_THAT(help.out, Catch::Contains("4  timed out waiting for the migration lock"));
  const ProcessResult up_help = strata_tool({"up", "--help"});
  CHECK(up_help.exit_code == 0);
  CHECK_THAT(up_help.out, Catch::Contains("--to VERSION"));
  CHECK_THAT(up_help.out, Catch::Contains("-d [ --migrations-dir ] DIR"));
}

TEST_CASE("An unreachable server is one line and exit code 1", "[cli][db]") {
  const ProcessResult result =
      strata_tool(std::vector<std::string>{"status", "--url",
                                           "postgresql://nobody:hunter2secret@127.0.0.1:1/db"} +
                  k_sample);
  check_one_line_error(result, 1, "cannot connect to postgresql://nobody:***@127.0.0.1:1/db");
  CHECK_THAT(result.err, !Catch::Contains("hunter2secret"));
}

TEST_CASE("A folder that does not load is the error reported, even with the server unreachable",
          "[cli][db]") {
  // The tool connects while it reads the folder: what the folder says must still come first.
  const strata::test::MigrationsCopy copy;
  copy.write("20260201000000_bad name\x01.sql", "SELECT 1;\n");
  for (const char* command : {"up", "status"}) {
    const ProcessResult result = strata_tool(
        std::vector<std::string>{command, "--url", "postgresql://nobody@127.0.0.1:1/db"} +
        copy.args());
    INFO(command << " stderr: " << result.err);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Catch::Contains("[strata-E113]"));
    CHECK_THAT(result.err, !Catch::Contains("cannot connect"));
  }
}

TEST_CASE("A missing database is one line and exit code 1", "[cli][db]") {
  const std::string url = strata::test::with_database(strata::test::cluster_url(), "no_such_db_x");
  check_one_line_error(strata_tool(std::vector<std::string>{"status", "--url", url} + k_sample), 1,
                       "database \"no_such_db_x\" does not exist");
}

TEST_CASE("A wrong password is one line, exit code 1, and the password is never printed",
          "[cli][db]") {
  TempDatabase db;
  {
    strata::pq::Connection admin{strata::test::cluster_url()};
    // The cluster's pg_hba.conf demands a password from this role alone. Other tests that use it
    // must use the same password: strata::test code shares the cluster.
    admin.exec(
        "DO $$ BEGIN CREATE ROLE strata_password_user LOGIN PASSWORD 'right-password-1234'; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN "
        "ALTER ROLE strata_password_user LOGIN PASSWORD 'right-password-1234'; END $$");
  }
  const std::string wrong = "postgresql://strata_password_user:wrong-password-5678@" +
                            cluster_authority() + "/" + db.name();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"status", "--url", wrong} + k_sample,
        std::vector<std::string>{"up", "-v", "--url", wrong} + k_sample,
        std::vector<std::string>{"create", "--url", wrong},
        std::vector<std::string>{"dump", "--url", wrong, "--file", "/tmp/strata-never.sql"}}) {
    const ProcessResult result = strata_tool(args);
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Catch::Contains("password authentication failed"));
    CHECK_THAT(result.err + result.out, !Catch::Contains("wrong-password-5678"));
  }
  // The same through DATABASE_URL, with --verbose.
  const ProcessResult env = strata_tool(std::vector<std::string>{"up", "--verbose"} + k_sample,
                                        {{"DATABASE_URL", wrong}});
  CHECK(env.exit_code == 1);
  CHECK_THAT(env.err, Catch::Contains("strata_password_user:***@"));
  CHECK_THAT(env.err + env.out, !Catch::Contains("wrong-password-5678"));

  // And the right password works, printing it nowhere either.
  const std::string right = "postgresql://strata_password_user:right-password-1234@" +
                            cluster_authority() + "/" + db.name();
  const ProcessResult ok =
      strata_tool(std::vector<std::string>{"status", "-v", "--url", right} + k_sample);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.err, Catch::Contains("strata_password_user:***@"));
  CHECK_THAT(ok.err + ok.out, !Catch::Contains("right-password-1234"));
}

TEST_CASE("A password that is an ordinary word does not garble help, names or JSON", "[cli][db]") {
  TempDatabase db;
  // Trust authentication ignores the password, so this is the common dev URL postgres:postgres.
  std::string url = db.url();
  url.replace(url.find("postgres@"), 9, "postgres:postgres@");
  const ProcessResult up = strata_tool(std::vector<std::string>{"up", "--url", url} + k_sample);
  REQUIRE(up.exit_code == 0);

  const ProcessResult status =
      strata_tool(std::vector<std::string>{"history", "--json", "--url", url} + k_sample);
  REQUIRE(status.exit_code == 0);
  const auto json = strata::test::parse_json(status.out);
  CHECK(json.get_child("history").front().second.get<std::string>("applied_by") == "postgres");

  const ProcessResult help =
      strata_tool({"--help"}, {{"DATABASE_URL", "postgresql://u:help@127.0.0.1:1/x"}});
  CHECK_THAT(help.out, Catch::Contains("--help"));
  CHECK_THAT(help.out, !Catch::Contains("***"));
}

TEST_CASE("A folder that does not compile leads with its errors and only counts the warnings",
          "[cli][db]") {
  const strata::test::MigrationsCopy copy;
  copy.write("20260201000000_drop_name.sql",
             "-- migrate:up\nALTER TABLE users DROP COLUMN name;\n-- migrate:down\n");
  copy.write("20260202000000_broken.sql", "-- migrate:up\nSELEC 1;\n-- migrate:down\n");
  TempDatabase db;
  const ProcessResult result =
      strata_tool(std::vector<std::string>{"up", "--url", db.url()} + copy.args());
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::StartsWith(copy.dir().string() + "/20260202000000_broken.sql:2:1: "
                                                                 "error: syntax error"));
  CHECK_THAT(result.err, !Catch::Contains("warning:"));
  CHECK_THAT(result.err, Catch::Contains("(not shown: 1 warning and "));
  CHECK_THAT(result.err, Catch::EndsWith("strata: error: the migrations do not compile (every "
                                         "diagnostic: strata check -d " +
                                         copy.dir().string() + " --routines " +
                                         (copy.dir() / "routines").string() + ")\n"));
}

TEST_CASE(
    "status --json on a migration file name that is not UTF-8 is a compile error, not "
    "invalid JSON",
    "[cli][db]") {
  TempDatabase db;
  const strata::test::MigrationsCopy copy;
  copy.write("20260110090400_caf\xE9.sql", "SELECT 1;\n");
  const ProcessResult result =
      strata_tool(std::vector<std::string>{"status", "--json", "--url", db.url()} + copy.args());
  INFO("stderr: " << result.err << "stdout: " << result.out);
  CHECK(result.exit_code == 1);
  CHECK(strata::detail::is_valid_utf8(result.out));
  CHECK_THAT(result.err, Catch::Contains("20260110090400_caf\\xe9.sql: error: file name is not "
                                         "valid UTF-8 [strata-E113]"));
}

TEST_CASE("status cuts a long failed statement between characters, never inside one", "[cli][db]") {
  TempDatabase db;
  const strata::test::MigrationsCopy copy;
  // The statement's 60th byte is the first byte of a two-byte é.
  std::string statement = "SELECT 1/0 AS xy, '";
  for (int i = 0; i < 30; ++i)
    statement += "\xC3\xA9";
  copy.write("20260110090400_fails.sql",
             "-- migrate:up transaction:false\nCREATE TABLE IF NOT EXISTS fails_t (x int);\n" +
                 statement + "';\n-- migrate:down\nSELECT 1;\n");
  const std::vector<std::string> args = std::vector<std::string>{"--url", db.url()} + copy.args();
  REQUIRE(strata_tool(std::vector<std::string>{"up"} + args).exit_code == 1);
  const ProcessResult status = strata_tool(std::vector<std::string>{"status"} + args);
  INFO("stdout: " << status.out);
  CHECK_THAT(status.out, Catch::Contains("at: SELECT 1/0 AS xy, '\xC3\xA9"));
  CHECK(strata::detail::is_valid_utf8(status.out));
}
