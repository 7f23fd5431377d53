// Secrets and dangerous targets through the real `strata` tool: a password in any spelling libpq
// accepts never reaches the output, pg_dump never sees a secret on its command line, and `drop`
// refuses the databases it must never drop before it connects.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"

using strata::test::cluster_authority;
using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in{path};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A scratch folder, removed when it goes away.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    std::random_device random;
    path = std::filesystem::temp_directory_path() /
           ("strata-secrets-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
};

}  // namespace

TEST_CASE("A short password is hidden in every spelling of a URL that libpq accepts", "[cli][db]") {
  TempDatabase db;
  const std::vector<std::string> sample = strata::test::sample_args();
  // Trust authentication ignores these passwords, so each run connects and prints its -v note.
  const std::string authority = cluster_authority();
  const std::vector<std::pair<std::string, std::string>> urls{
      {"postgres://postgres:x?z@" + authority + "/" + db.name(), "x?z"},
      {"postgresql://postgres@" + authority + "/" + db.name() + "?%70assword=k7q", "k7q"},
      {"postgresql://postgres@" + authority + "/" + db.name() + "?sslpassword=j8w", "j8w"},
      {"host=" + authority.substr(0, authority.find(':')) +
           " port=" + authority.substr(authority.find(':') + 1) +
           " user=postgres dbname=" + db.name() + " password=v5\\'r",
       "v5'r"},
  };
  for (const auto& [url, secret] : urls) {
    const ProcessResult status =
        strata_tool(std::vector<std::string>{"status", "-v", "--url", url} + sample);
    INFO(url << "\n" << status.err);
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.err, Catch::Contains("database: "));
    CHECK_THAT(status.err + status.out, !Catch::Contains(secret));
  }
}

TEST_CASE("A password in a percent-encoded key never reaches a connection error", "[cli][db]") {
  TempDatabase db;
  const std::string url = "postgresql://strata_no_such_role@" + cluster_authority() + "/" +
                          db.name() + "?%70assword=q4m";
  const ProcessResult result = strata_tool(std::vector<std::string>{"status", "-v", "--url", url} +
                                           strata::test::sample_args());
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("strata_no_such_role"));
  CHECK_THAT(result.err + result.out, !Catch::Contains("q4m"));
}

TEST_CASE("A connection string libpq cannot parse is refused without quoting its password",
          "[cli][db]") {
  for (const std::string& url : {std::string{"postgresql://u:pw%zz9@127.0.0.1/db"},
                                 std::string{"postgresql://u:pw-secret-7@[::1/db"}}) {
    const ProcessResult result = strata_tool(
        std::vector<std::string>{"status", "-v", "--url", url} + strata::test::sample_args());
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("invalid connection string"));
    CHECK_THAT(result.err + result.out, !Catch::Contains("pw%zz9"));
    CHECK_THAT(result.err + result.out, !Catch::Contains("pw-secret-7"));
  }
}

TEST_CASE("dump hands pg_dump the password and sslpassword outside its command line", "[cli][db]") {
  TempDatabase db;
  REQUIRE(
      strata_tool(std::vector<std::string>{"up", "--url", db.url()} + strata::test::sample_args())
          .exit_code == 0);
  ScratchDir scratch;
  // A pg_dump in front of the real one that records the command line it was given.
  const ProcessResult real = strata::test::run_process({"/bin/sh", "-c", "command -v pg_dump"});
  REQUIRE(real.exit_code == 0);
  const std::filesystem::path recorder = scratch.path / "pg_dump";
  std::ofstream{recorder} << "#!/bin/sh\nprintf '%s\\n' \"$@\" > '"
                          << (scratch.path / "argv").string() << "'\nexec '"
                          << real.out.substr(0, real.out.find('\n')) << "' \"$@\"\n";
  std::filesystem::permissions(recorder, std::filesystem::perms::owner_all);

  const std::string url = "postgresql://postgres:pw-6161@" + cluster_authority() + "/" + db.name() +
                          "?sslpassword=sslpw-7272&sslmode=disable";
  const std::filesystem::path file = scratch.path / "schema.sql";
  const char* path = std::getenv("PATH");
  const ProcessResult dump =
      strata_tool({"dump", "--url", url, "--file", file.string()},
                  {{"PATH", scratch.path.string() + ":" + (path != nullptr ? path : "")}});
  INFO(dump.err);
  REQUIRE(dump.exit_code == 0);
  CHECK_THAT(read_file(file), Catch::Contains("CREATE TABLE public.users"));
  const std::string argv = read_file(scratch.path / "argv");
  CHECK_THAT(argv, Catch::Contains(db.name()));
  CHECK_THAT(argv, !Catch::Contains("pw-6161"));
  CHECK_THAT(argv, !Catch::Contains("sslpw-7272"));
  CHECK_THAT(dump.err + dump.out, !Catch::Contains("7272"));
  // The service file that carried the sslpassword is gone.
  for (const auto& entry :
       std::filesystem::directory_iterator{std::filesystem::temp_directory_path()}) {
    if (entry.path().filename().string().starts_with("strata-dump-"))
      CHECK_THAT(read_file(entry.path()), !Catch::Contains("sslpw-7272"));
  }
}

TEST_CASE("drop refuses postgres, the templates and a URL without a database before connecting",
          "[cli][db]") {
  // Port 1: nothing listens there, so any attempt to connect would fail differently.
  for (const std::string name : {"postgres", "template0", "template1"}) {
    const ProcessResult result =
        strata_tool({"drop", "--url", "postgresql://postgres@127.0.0.1:1/" + name});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("refusing to drop \"" + name + "\""));
    CHECK(result.err_lines().size() == 1);
  }
  const ProcessResult no_name = strata_tool({"drop", "--url", "postgresql://someone@127.0.0.1:1"});
  CHECK(no_name.exit_code == 2);
  CHECK_THAT(no_name.err, Catch::Contains("names no database"));
  CHECK_THAT(no_name.err, Catch::Contains("\"someone\""));

  // On the real server: a role that owns a database of its own name, and a URL naming no database.
  std::random_device random;
  const std::string owner = "strata_drop_owner_" + std::to_string(random() % 1000000000);
  strata::pq::Connection admin{strata::test::cluster_url()};
  admin.exec("CREATE ROLE " + owner + " LOGIN CREATEDB");
  admin.exec("CREATE DATABASE " + owner + " OWNER " + owner);
  const ProcessResult refused =
      strata_tool({"drop", "--url", "postgresql://" + owner + "@" + cluster_authority()});
  CHECK(refused.exit_code == 2);
  CHECK(admin.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", {owner}).rows() == 1);
  admin.exec("DROP DATABASE " + owner + " WITH (FORCE)");
  admin.exec("DROP ROLE " + owner);
}
