// wait, create, drop and dump through the real `strata` tool against the cluster.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "support/database.hpp"

using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

TEST_CASE(
    "wait returns as soon as the server accepts connections, and times out when it never "
    "does",
    "[cli][db]") {
  const ProcessResult up = strata_tool({"wait", "--url", strata::test::cluster_url()});
  CHECK(up.exit_code == 0);
  CHECK_THAT(up.out, Catch::StartsWith("The server accepts connections"));

  const ProcessResult down =
      strata_tool({"wait", "--timeout", "600ms", "--url", "postgresql://u:pw-9876@127.0.0.1:1/x"});
  CHECK(down.exit_code == 1);
  REQUIRE(down.err_lines().size() == 1);
  CHECK_THAT(down.err, Catch::Contains("did not accept connections within 600ms"));
  CHECK_THAT(down.err, !Catch::Contains("pw-9876"));
}

TEST_CASE("create and drop manage the database named in the URL", "[cli][db]") {
  std::random_device random;
  const std::string name = "strata_cli_create_" + std::to_string(random() % 1000000000);
  const std::string url = strata::test::with_database(strata::test::cluster_url(), name);

  const ProcessResult created = strata_tool({"create", "--url", url});
  REQUIRE(created.exit_code == 0);
  CHECK(created.out == "Created database \"" + name + "\"\n");
  CHECK(strata_tool({"create", "--url", url}).out == "Database \"" + name + "\" already exists\n");
  const std::vector<std::string> sample = strata::test::sample_args();
  CHECK(strata_tool(std::vector<std::string>{"up", "--url", url} + sample).exit_code == 0);

  const ProcessResult dropped = strata_tool({"drop", "--url", url});
  REQUIRE(dropped.exit_code == 0);
  CHECK(dropped.out == "Dropped database \"" + name + "\"\n");
  CHECK(strata_tool({"drop", "--url", url}).out == "Database \"" + name + "\" does not exist\n");
  CHECK(strata_tool(std::vector<std::string>{"status", "--url", url} + sample).exit_code == 1);
}

TEST_CASE("dump writes the schema with pg_dump --schema-only", "[cli][db]") {
  TempDatabase db;
  const std::vector<std::string> sample = strata::test::sample_args();
  REQUIRE(strata_tool(std::vector<std::string>{"up", "--url", db.url()} + sample).exit_code == 0);
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("strata-dump-" + db.name()) / "schema.sql";
  const ProcessResult dump = strata_tool({"dump", "--url", db.url(), "--file", file.string()});
  REQUIRE(dump.exit_code == 0);
  CHECK(dump.out == "Wrote the schema of \"" + db.name() + "\" to " + file.string() + "\n");
  std::ifstream in{file};
  std::stringstream text;
  text << in.rdbuf();
  CHECK_THAT(text.str(), Catch::Contains("CREATE TABLE public.users"));
  CHECK_THAT(text.str(), Catch::Contains("CREATE FUNCTION public.insert_user"));
  CHECK_THAT(text.str(), !Catch::Contains("COPY public."));  // the schema, not the data
  std::filesystem::remove_all(file.parent_path());
}

TEST_CASE(
    "Durations too long for the clock are refused with exit code 2, not a wait that ends at once",
    "[cli][db]") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"wait", "--timeout", "2562048h", "--url",
                                 "postgresql://u@127.0.0.1:1/x"},
        std::vector<std::string>{"up", "--lock-timeout", "2562048h", "--url",
                                 strata::test::cluster_url()} +
            strata::test::sample_args()}) {
    const ProcessResult result = strata_tool(args);
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("'2562048h' is too long (at most 876000h"));
  }
  // The longest accepted one still waits: the server is up, so wait returns at once.
  CHECK(strata_tool({"wait", "--timeout", "876000h", "--url", strata::test::cluster_url()})
            .exit_code == 0);
}
