// Out of memory is a mistake of size, not a crash: under a memory limit, the compiler's commands
// and the tool's run-time commands stop with one line naming the file, never std::bad_alloc's
// abort.
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "support/database.hpp"

using strata::test::ProcessResult;
using strata::test::run_process;
using strata::test::TempDatabase;

namespace {

// Runs the tool with 600 MB of address space (`ulimit -v`): enough for the 256 MiB stack each
// check thread reserves (only the pages touched are backed) and for small folders.
ProcessResult limited_tool(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/bin/sh", "-c", "ulimit -v 614400 && exec \"$0\" \"$@\"",
                                STRATA_TOOL_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

// A 2.6 MB migration whose parse tree needs ~370 MB: an INSERT from a VALUES subquery, which takes
// the ordinary parse path (only a top-level VALUES list is checked a chunk of rows at a time).
std::filesystem::path write_hungry_migration(const std::filesystem::path& root) {
  const std::filesystem::path folder = root / "migrations";
  std::filesystem::create_directories(folder);
  std::string rows;
  for (int i = 1; i <= 300000; ++i)
    rows += (i > 1 ? ",(" : "(") + std::to_string(i) + ")";
  std::ofstream{folder / "20260101000000_hungry.sql"}
      << "-- migrate:up\nINSERT INTO big SELECT * FROM (VALUES " << rows
      << ") AS v;\n-- migrate:down\nDELETE FROM big;\n";
  return folder;
}

void check_out_of_memory_line(const ProcessResult& result, const std::filesystem::path& file) {
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 1);
  REQUIRE(result.err_lines().size() == 1);
  CHECK(result.err_lines().front() ==
        "strata: error: out of memory while checking " + file.string() +
            ": give strata more memory, or split the file into smaller migrations");
}

}  // namespace

TEST_CASE("Running out of memory while checking is one error line naming the file", "[cli][db]") {
  const std::filesystem::path root =
      std::filesystem::temp_directory_path() / ("strata-oom-" + std::to_string(::getpid()));
  const std::filesystem::path folder = write_hungry_migration(root);
  const std::filesystem::path file = folder / "20260101000000_hungry.sql";

  check_out_of_memory_line(limited_tool({"check", "-d", folder.string()}), file);

  TempDatabase db;
  check_out_of_memory_line(limited_tool({"up", "-d", folder.string(), "--url", db.url()}), file);
  std::filesystem::remove_all(root);
}
