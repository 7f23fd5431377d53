// migrations.lock: `strata lock` records released migrations; check/generate then refuse an
// edited or deleted released migration, and warn about a new one that sorts before them.
#include <algorithm>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "lint_fixture.hpp"
#include "tool/lock_command.hpp"

using strata::generator::SourceOptions;
using strata::test::compile_folder;
using strata::test::TempFolder;

namespace {

const std::string users_sql = "CREATE TABLE users (id int);\n";
const std::string users_sha = "537129faaa4be351bd58fa07b80cf56476785f89e597a6820328d2c49ac6ae05";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A folder with two migrations (one a dbmate file) and a routine.
void write_set(const TempFolder& root) {
  root.write("m/20240101000000_users.sql",
             "-- migrate:up\n" + users_sql + "-- migrate:down\nDROP TABLE users;\n");
  root.write("m/20240102000000_posts.up.sql", "CREATE TABLE posts (id int);\n");
  root.write("m/20240102000000_posts.down.sql", "DROP TABLE posts;\n");
  root.write("r/views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS a;\n");
}

struct LockRun {
  int code = 0;
  std::string out;
  std::string err;
};

LockRun lock(const TempFolder& root, SourceOptions options = {}) {
  options.migrations_dir = root.path() / "m";
  if (std::filesystem::exists(root.path() / "r"))
    options.routines_dir = root.path() / "r";
  std::ostringstream out;
  std::ostringstream err;
  LockRun run;
  run.code = strata::generator::tool::lock_migrations(options, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::string sha_of(const strata::test::CompileRun& run, std::string_view version) {
  for (const auto& migration : run.set()) {
    if (migration.version == version)
      return std::string{migration.checksum.substr(7)};
  }
  return {};
}

}  // namespace

TEST_CASE("strata lock writes a header and one sorted line per versioned migration", "[lock]") {
  TempFolder root;
  write_set(root);
  const auto first = lock(root);
  INFO(first.err);
  REQUIRE(first.code == 0);
  const auto compiled = compile_folder(root);
  const std::string text = read_text(root.path() / "m/migrations.lock");
  CHECK(text.starts_with("# strata-lock 1: released migrations"));
  CHECK(text.substr(text.find('\n') + 1) == "20240101000000 " + sha_of(compiled, "20240101000000") +
                                                "\n20240102000000 " +
                                                sha_of(compiled, "20240102000000") + "\n");
  // The checksum is the migration's own: SHA-256 of the up SQL.
  CHECK(sha_of(compiled, "20240101000000") == users_sha);
  CHECK(first.out.find("Locked 2 migrations in ") != std::string::npos);
  CHECK(text.find("views") == std::string::npos);  // routines are never locked

  const auto again = lock(root);
  CHECK(again.code == 0);
  CHECK(again.out.find("Nothing to lock") != std::string::npos);
  CHECK(read_text(root.path() / "m/migrations.lock") == text);
}

TEST_CASE("strata lock adds new migrations and keeps every existing line byte for byte", "[lock]") {
  TempFolder root;
  write_set(root);
  // A hand-spaced line, and lines out of order as a union merge leaves them.
  root.write("m/migrations.lock", "# strata-lock 1\n20240102000000 " + std::string(64, 'a') +
                                      "\n20240101000000  " + users_sha + "\n20240101000000  " +
                                      users_sha + "\n");
  // posts' checksum does not match `aaa…`: locking must refuse to paper over it.
  const auto refused = lock(root);
  CHECK(refused.code == 1);
  CHECK(refused.err.find("[strata-E501]") != std::string::npos);

  root.write("m/migrations.lock", "# strata-lock 1\n20240101000000  " + users_sha +
                                      "\n20240101000000  " + users_sha + "\n");
  root.write("m/20240103000000_tags.up.sql", "CREATE TABLE tags (id int);\n");
  const auto added = lock(root);
  INFO(added.err);
  REQUIRE(added.code == 0);
  CHECK(added.out.find("Locked 2 migrations") != std::string::npos);
  CHECK(added.out.find("  20240102000000\n  20240103000000\n") != std::string::npos);
  const std::string text = read_text(root.path() / "m/migrations.lock");
  CHECK(text.starts_with("# strata-lock 1\n20240101000000  " + users_sha + "\n20240102000000 "));
  CHECK(text.find("20240103000000 ") != std::string::npos);
}

TEST_CASE("Editing a locked migration is an error at that file, showing both checksums", "[lock]") {
  TempFolder root;
  write_set(root);
  REQUIRE(lock(root).code == 0);
  root.write("m/20240101000000_users.sql",
             "-- migrate:up\n-- now with email\nCREATE TABLE users (id int, email text);\n"
             "-- migrate:down\nDROP TABLE users;\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/20240101000000_users.sql", 3, 1, "error", "strata-E501"));
  CHECK(run.output.find("migrations.lock:2 locks sha256:" + users_sha +
                        ", the file now has "
                        "sha256:") != std::string::npos);
  CHECK(run.output.find("hint: a released migration must not change") != std::string::npos);
  // strata lock refuses too, and leaves the file alone.
  const std::string before = read_text(root.path() / "m/migrations.lock");
  CHECK(lock(root).code == 1);
  CHECK(read_text(root.path() / "m/migrations.lock") == before);
}

TEST_CASE("Changing only line endings or a down section of a locked migration is not an edit",
          "[lock]") {
  TempFolder root;
  write_set(root);
  REQUIRE(lock(root).code == 0);
  root.write("m/20240101000000_users.sql",
             "-- migrate:up\r\n" + users_sql.substr(0, users_sql.size() - 1) +
                 "\r\n-- migrate:down\r\nDROP TABLE IF EXISTS users;\r\n");
  root.write("r/views.sql", "CREATE OR REPLACE VIEW v AS SELECT 2 AS a;\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  CHECK(run.ok());
}

TEST_CASE("A locked migration whose file is gone is an error at the lock file's line", "[lock]") {
  TempFolder root;
  write_set(root);
  REQUIRE(lock(root).code == 0);
  std::filesystem::remove(root.path() / "m/20240102000000_posts.up.sql");
  std::filesystem::remove(root.path() / "m/20240102000000_posts.down.sql");
  const auto run = compile_folder(root);
  INFO(run.output);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/migrations.lock", 3, 1, "error", "strata-E502"));
  CHECK(run.output.find("migration 20240102000000 is locked as released, but no migration file") !=
        std::string::npos);
}

TEST_CASE(
    "A new migration that sorts before the newest locked one warns (an error with "
    "--warnings-as-errors)",
    "[lock]") {
  TempFolder root;
  write_set(root);
  REQUIRE(lock(root).code == 0);
  root.write("m/20240101120000_late.up.sql", "SELECT 1;\n");
  root.write("m/20240103000000_next.up.sql", "SELECT 1;\n");
  const auto run = compile_folder(root);
  INFO(run.output);
  CHECK(run.ok());
  CHECK(run.has("m/20240101120000_late.up.sql", 1, 1, "warning", "strata-W503"));
  CHECK(run.count("warning") == 1);
  SourceOptions strict;
  strict.warnings_as_errors = true;
  const auto failed = compile_folder(root, strict);
  CHECK_FALSE(failed.ok());
  CHECK(failed.has("m/20240101120000_late.up.sql", 1, 1, "error", "strata-W503"));
}

TEST_CASE("A malformed lock file is an error at the offending line", "[lock]") {
  TempFolder root;
  write_set(root);
  root.write("m/migrations.lock",
             "# strata-lock 1\n20240101000000 " + users_sha + "\n20240102000000 sha256:abc\n\n");
  auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/migrations.lock", 3, 1, "error", "strata-E504"));

  root.write("m/migrations.lock", "# strata-lock 1\n20240101000000 " + users_sha +
                                      "\n20240101000000 " + std::string(64, 'b') + "\n");
  run = compile_folder(root);
  CHECK(run.has("m/migrations.lock", 3, 1, "error", "strata-E504"));

  root.write("m/migrations.lock", "20240101000000 " + users_sha + "\n");
  run = compile_folder(root);
  CHECK(run.has("m/migrations.lock", 1, 1, "error", "strata-E505"));

  root.write("m/migrations.lock", "# strata-lock 2\n");
  run = compile_folder(root);
  CHECK(run.has("m/migrations.lock", 1, 1, "error", "strata-E505"));
  CHECK(run.output.find("lock file format `2` is not one this strata reads") != std::string::npos);
}

TEST_CASE("A lock file named by --lock replaces the default one", "[lock]") {
  TempFolder root;
  write_set(root);
  SourceOptions options;
  options.lock_file = root.path() / "released.lock";
  REQUIRE(lock(root, options).code == 0);
  CHECK(std::filesystem::exists(root.path() / "released.lock"));
  CHECK_FALSE(std::filesystem::exists(root.path() / "m/migrations.lock"));
  root.write("m/20240102000000_posts.up.sql", "CREATE TABLE posts (id bigint);\n");
  CHECK(compile_folder(root).ok());  // no lock file at the default place
  const auto run = compile_folder(root, options);
  CHECK(run.has("m/20240102000000_posts.up.sql", 1, 1, "error", "strata-E501"));
}

TEST_CASE("An existing lock file is an input of the build (depfile)", "[lock]") {
  TempFolder root;
  write_set(root);
  const auto before = compile_folder(root);
  const auto lock_path = root.path() / "m/migrations.lock";
  CHECK(std::count(before.compiled->inputs().begin(), before.compiled->inputs().end(), lock_path) ==
        0);
  REQUIRE(lock(root).code == 0);
  const auto after = compile_folder(root);
  CHECK(std::count(after.compiled->inputs().begin(), after.compiled->inputs().end(), lock_path) ==
        1);
}

TEST_CASE("An empty lock file locks nothing, and strata lock fills it", "[lock]") {
  TempFolder root;
  write_set(root);
  root.write("m/migrations.lock", "");
  CHECK(compile_folder(root).ok());
  REQUIRE(lock(root).code == 0);
  CHECK(read_text(root.path() / "m/migrations.lock").find("20240102000000 ") != std::string::npos);
}

TEST_CASE("strata lock on the command line: exit 0 when locked, 1 when a locked file changed",
          "[lock][tool]") {
  TempFolder root;
  write_set(root);
  const std::string dir = (root.path() / "m").string();
  const std::string file = (root.path() / "released.lock").string();
  std::string out;
  std::string err;
  CHECK(strata::test::run_tool(
            {"lock", "-d", dir, "--routines", (root.path() / "r").string(), "--lock", file}, out,
            err) == 0);
  CHECK(out == "Locked 2 migrations in " + file + ":\n  20240101000000\n  20240102000000\n");
  root.write("m/20240102000000_posts.up.sql", "CREATE TABLE posts (id bigint);\n");
  CHECK(strata::test::run_tool({"lock", "-d", dir, "--lock", file}, out, err) == 1);
  CHECK(err.find("[strata-E501]") != std::string::npos);
  CHECK(strata::test::run_tool({"check", "-d", dir, "--lock", file}, out, err) == 1);
  CHECK(strata::test::run_tool({"lock", "--bogus"}, out, err) == 2);
}

TEST_CASE("Locked migrations are not linted (an allow comment would change them), new ones are",
          "[lock][lint]") {
  TempFolder root;
  root.write("m/1_users.up.sql", "ALTER TABLE users ALTER COLUMN id TYPE bigint;\n");
  root.write("m/1_users.down.sql", "SELECT 1;\n");
  const auto before = compile_folder(root);
  CHECK(before.has("m/1_users.up.sql", 1, 1, "warning", "strata-lint-alter-column-type"));
  REQUIRE(lock(root).code == 0);
  root.write("m/2_posts.up.sql", "ALTER TABLE posts ALTER COLUMN id TYPE bigint;\n");
  root.write("m/2_posts.down.sql", "SELECT 1;\n");
  const auto after = compile_folder(root);
  INFO(after.output);
  CHECK_FALSE(after.has("m/1_users.up.sql", 0, 0, "warning", "strata-lint-alter-column-type"));
  CHECK(after.has("m/2_posts.up.sql", 1, 1, "warning", "strata-lint-alter-column-type"));
  CHECK(after.count("warning") == 1);
}
