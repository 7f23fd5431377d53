// The schema file, as dbmate keeps db/schema.sql: `dump` writes the same bytes for the same schema
// and history, `up --dump-schema` refreshes it, `load` restores it into an empty database.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "support/database.hpp"

using strata::test::ProcessResult;
using strata::test::strata_tool;
using strata::test::TempDatabase;
using strata::test::operator+;

namespace {

// A folder under the temporary directory, removed when this goes away.
class ScratchFolder {
 public:
  explicit ScratchFolder(const std::string& name)
      : m_path(std::filesystem::temp_directory_path() / ("strata-schema-" + name)) {
    std::filesystem::create_directories(m_path);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (m_path / name).string(); }

 private:
  std::filesystem::path m_path;
};

std::string read(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void migrate(const TempDatabase& db) {
  const ProcessResult up =
      strata_tool(std::vector<std::string>{"up", "--url", db.url()} + strata::test::sample_args());
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
}

}  // namespace

TEST_CASE("dump writes the same bytes for the same schema, with the applied migrations",
          "[cli][db]") {
  TempDatabase first;
  TempDatabase second;
  migrate(first);
  migrate(second);
  const ScratchFolder folder{first.name()};
  const std::vector<std::string> sample = strata::test::sample_args();
  REQUIRE(strata_tool(std::vector<std::string>{"dump", "--url", first.url(), "--file",
                                               folder.file("a.sql")} +
                      sample)
              .exit_code == 0);
  REQUIRE(strata_tool({"dump", "--url", first.url(), "--file", folder.file("b.sql")}).exit_code ==
          0);
  REQUIRE(strata_tool({"dump", "--url", second.url(), "--file", folder.file("c.sql")}).exit_code ==
          0);
  const std::string text = read(folder.file("a.sql"));
  CHECK(text == read(folder.file("b.sql")));
  CHECK(text == read(folder.file("c.sql")));
  CHECK_THAT(text, !Catch::Contains("\\restrict"));
  CHECK_THAT(text, Catch::Contains("CREATE TABLE public.users"));
  CHECK_THAT(text, Catch::Contains("INSERT INTO public.strata_migrations (run, kind, version"));
  CHECK_THAT(text, Catch::Contains("'migration', '20260110090000', 'create_users'"));
  CHECK_THAT(text, Catch::Contains("'routine', NULL, 'insert_user'"));
}

TEST_CASE(
    "load restores a dump into an empty database, history included, and refuses a "
    "database that is not empty",
    "[cli][db]") {
  TempDatabase source;
  migrate(source);
  const ScratchFolder folder{source.name()};
  const std::string schema = folder.file("schema.sql");
  REQUIRE(strata_tool({"dump", "--url", source.url(), "--file", schema}).exit_code == 0);

  TempDatabase target;
  const ProcessResult load = strata_tool({"load", schema, "--url", target.url()});
  INFO(load.err);
  REQUIRE(load.exit_code == 0);
  CHECK(load.out == "Loaded " + schema + " into \"" + target.name() + "\"\n");
  const std::vector<std::string> sample = strata::test::sample_args();
  const ProcessResult status = strata_tool(
      std::vector<std::string>{"status", "--exit-code", "--url", target.url()} + sample);
  INFO(status.out << status.err);
  CHECK(status.exit_code == 0);  // everything applied, nothing pending
  CHECK(
      strata_tool(std::vector<std::string>{"rollback", "--url", target.url()} + sample).exit_code ==
      0);  // the down SQL came along

  const ProcessResult again = strata_tool({"load", schema, "--url", target.url()});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("is not empty"));
}

TEST_CASE("up --dump-schema and STRATA_SCHEMA_FILE refresh the schema file after a change",
          "[cli][db]") {
  TempDatabase db;
  const ScratchFolder folder{db.name()};
  const std::vector<std::string> sample = strata::test::sample_args();
  const ProcessResult up = strata_tool(
      std::vector<std::string>{"up", "--url", db.url(), "--dump-schema", folder.file("given.sql")} +
      sample);
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(read(folder.file("given.sql")), Catch::Contains("CREATE TABLE public.users"));
  const ProcessResult rollback =
      strata_tool(std::vector<std::string>{"rollback", "--url", db.url()} + sample,
                  {{"STRATA_SCHEMA_FILE", folder.file("from_env.sql")}});
  REQUIRE(rollback.exit_code == 0);
  CHECK_THAT(read(folder.file("from_env.sql")), Catch::Contains("INSERT INTO public.strata_"));
  CHECK(read(folder.file("from_env.sql")) != read(folder.file("given.sql")));
}
