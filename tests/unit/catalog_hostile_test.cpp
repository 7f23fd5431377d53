// The catalog against hostile folders: files that are not regular files, names that are not
// text, folders and files that cannot be read. Each is a clear error at the file; none hangs,
// crashes or reaches the terminal raw.
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::test::TempFolder;
namespace fs = std::filesystem;

namespace {

bool prints(const strata::test::CompileRun& run, std::string_view text) {
  return run.output.find(text) != std::string::npos;
}

// Compiles `root/m` as a user the permission bits apply to: as root (CI), in a child process
// that gives up root first. Returns what the compiler printed.
std::string compile_unprivileged(const TempFolder& root) {
  if (::geteuid() != 0)
    return compile_folder(root).output;
  fs::permissions(root.path(), fs::perms::owner_all | fs::perms::group_read |
                                   fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec);
  int pipe_ends[2];
  REQUIRE(::pipe(pipe_ends) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(pipe_ends[0]);
    constexpr uid_t nobody = 65534;
    if (::setgid(nobody) != 0 || ::setuid(nobody) != 0)
      ::_exit(2);
    const std::string output = compile_folder(root).output;
    const auto written = ::write(pipe_ends[1], output.data(), output.size());
    ::_exit(written == static_cast<ssize_t>(output.size()) ? 0 : 3);
  }
  ::close(pipe_ends[1]);
  std::string output;
  char buffer[4096];
  for (ssize_t got; (got = ::read(pipe_ends[0], buffer, sizeof buffer)) > 0;)
    output.append(buffer, static_cast<std::size_t>(got));
  ::close(pipe_ends[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return output;
}

}  // namespace

TEST_CASE("A FIFO named like a migration is E112 naming a FIFO, and check does not wait on it",
          "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/2_b.sql", "SELECT 1;\n");
  REQUIRE(::mkfifo((root.path() / "m/1_a.sql").c_str(), 0644) == 0);
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 0, 0, "error", "strata-E112"));
  CHECK(prints(run, "a FIFO (named pipe), not a regular file"));
  CHECK(run.count("error") == 1);
}

TEST_CASE("A link to /dev/zero named like a migration is E112 naming a device, not read forever",
          "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/README", "not a migration\n");
  fs::create_symlink("/dev/zero", root.path() / "m/1_a.sql");
  fs::create_symlink("/dev/null", root.path() / "m/2_b.up.sql");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 0, 0, "error", "strata-E112"));
  CHECK(run.has("m/2_b.up.sql", 0, 0, "error", "strata-E112"));
  CHECK(prints(run, "a character device, not a regular file"));
}

TEST_CASE("A link to a regular file is read as the migration it names", "[catalog]") {
  TempFolder root;
  root.write("shared/a.sql", "CREATE TABLE a (id int);\n");
  root.write("m/.keep", "");
  fs::create_symlink("../shared/a.sql", root.path() / "m/1_a.sql");
  const auto run = compile_folder(root);
  REQUIRE(run.ok());
  CHECK(run.set()[0].up.sql == "CREATE TABLE a (id int);\n");
}

TEST_CASE("A FIFO as a migration folder's up.sql or as a routine file is E112", "[catalog]") {
  TempFolder root;
  root.write("m/1_a/down.sql", "SELECT 1;\n");
  root.write("r/.keep", "");
  REQUIRE(::mkfifo((root.path() / "m/1_a/up.sql").c_str(), 0644) == 0);
  REQUIRE(::mkfifo((root.path() / "r/views.sql").c_str(), 0644) == 0);
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a/up.sql", 0, 0, "error", "strata-E112"));
  CHECK(run.has("r/views.sql", 0, 0, "error", "strata-E112"));
}

TEST_CASE("A migration folder whose up.sql is a folder says so instead of 'without up.sql'",
          "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a/up.sql/x.sql", "SELECT 1;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a/up.sql", 0, 0, "error", "strata-E112"));
  CHECK(prints(run, "a folder, not a regular file"));
  CHECK_FALSE(prints(run, "without up.sql"));
}

TEST_CASE("A file that cannot be opened is E110 with the operating system's reason",
          "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/.keep", "");
  fs::create_symlink("1_a.sql", root.path() / "m/1_a.sql");  // a loop: ELOOP
  fs::create_symlink("missing.sql", root.path() / "m/2_b.sql");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a.sql", 0, 0, "error", "strata-E110"));
  CHECK(prints(run, "cannot read file: Too many levels of symbolic links"));
  CHECK(run.has("m/2_b.sql", 0, 0, "error", "strata-E110"));
  CHECK(prints(run, "cannot read file: a symbolic link to a missing file"));
}

TEST_CASE("A migration folder that cannot be read is E110 with the reason, not 'without up.sql'",
          "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a/up.sql", "SELECT 1;\n");
  fs::permissions(root.path() / "m/1_a", fs::perms::none);
  const std::string output = compile_unprivileged(root);
  fs::permissions(root.path() / "m/1_a", fs::perms::owner_all);
  CHECK(output.find("/m/1_a: error: cannot read folder: Permission denied [strata-E110]") !=
        std::string::npos);
  CHECK(output.find("without up.sql") == std::string::npos);
}

TEST_CASE("E108 shows a NUL byte of the SQL as \\x00, never raw", "[catalog][diagnostics]") {
  TempFolder root;
  root.write("m/1_a.sql", std::string{"SELECT '\0\x1b[2J';\n", 16});
  const auto run = compile_folder(root);
  CHECK(run.has("m/1_a.sql", 1, 9, "error", "strata-E108"));
  CHECK(prints(run, "    SELECT '\\x00\\x1b[2J';\n            ^\n"));
  CHECK(run.output.find('\0') == std::string::npos);
  CHECK(run.output.find('\x1b') == std::string::npos);
}

TEST_CASE("E102 for a migration folder names the folder, not only up.sql", "[catalog]") {
  TempFolder root;
  root.write("m/01_a/up.sql", "SELECT 1;\n");
  root.write("m/1_b.sql", "SELECT 1;\n");
  const auto run = compile_folder(root);
  CHECK(run.has("m/1_b.sql", 0, 0, "error", "strata-E102"));
  CHECK(prints(run, "duplicate migration version 1 (also 01_a/up.sql)"));
}

TEST_CASE("A migration file name that is not UTF-8 is E113 at compile time", "[catalog]") {
  TempFolder root;
  root.write("m/1_caf\xE9.sql", "SELECT 1;\n");
  root.write("m/2_b\xFF/up.sql", "SELECT 1;\n");
  root.write("m/notes-\xE9.txt", "not a migration: ignored\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_caf\\xe9.sql", 0, 0, "error", "strata-E113"));
  CHECK(run.has("m/2_b\\xff", 0, 0, "error", "strata-E113"));
  CHECK(prints(run, "file name is not valid UTF-8"));
  CHECK(run.count("error") == 2);
}

TEST_CASE("A control character in a migration name is E113 and printed escaped", "[catalog]") {
  TempFolder root;
  root.write("m/1_a\x1b[31mred.sql", "SELECT 1;\n");
  root.write("m/2_tab\there.sql", "SELECT 1;\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_a\\x1b[31mred.sql", 0, 0, "error", "strata-E113"));
  CHECK(prints(run, "file name holds a control character"));
  CHECK(run.count("error") == 2);
  CHECK(run.output.find('\x1b') == std::string::npos);
}

TEST_CASE("A large folder, read on two threads, reports each hostile file exactly as a small one",
          "[catalog][diagnostics]") {
  TempFolder root;
  for (int i = 10; i < 110; ++i)
    root.write("m/" + std::to_string(i) + "_t.sql",
               "CREATE TABLE t" + std::to_string(i) + " ();\n");
  REQUIRE(::mkfifo((root.path() / "m/1_fifo.sql").c_str(), 0644) == 0);
  fs::create_symlink("/dev/zero", root.path() / "m/2_zero.sql");
  fs::create_symlink("3_loop.sql", root.path() / "m/3_loop.sql");
  root.write("m/4_nul.sql", std::string{"SELECT '\0';\n", 12});
  root.write("m/5_dir/down.sql", "SELECT 1;\n");
  REQUIRE(::mkfifo((root.path() / "m/5_dir/up.sql").c_str(), 0644) == 0);
  root.write("m/6_ok/up.sql", "CREATE TABLE ok ();\n");
  root.write("m/7_bad name.txt", "not read\n");
  const auto run = compile_folder(root);
  CHECK_FALSE(run.ok());
  CHECK(run.has("m/1_fifo.sql", 0, 0, "error", "strata-E112"));
  CHECK(run.has("m/2_zero.sql", 0, 0, "error", "strata-E112"));
  CHECK(run.has("m/3_loop.sql", 0, 0, "error", "strata-E110"));
  CHECK(run.has("m/4_nul.sql", 1, 9, "error", "strata-E108"));
  CHECK(run.has("m/5_dir/up.sql", 0, 0, "error", "strata-E112"));
  CHECK(run.count("error") == 5);
}

TEST_CASE("A large folder's migrations keep their order, text and checksums", "[catalog]") {
  TempFolder small;
  TempFolder large;
  for (int i = 1; i <= 100; ++i) {
    const std::string file = "m/" + std::to_string(i) + "_t.sql";
    const std::string sql = "CREATE TABLE t" + std::to_string(i) + " ();\n";
    large.write(file, sql);
    if (i == 42)
      small.write("m/42_t.sql", sql);
  }
  const auto many = compile_folder(large);
  const auto one = compile_folder(small);
  REQUIRE(many.ok());
  REQUIRE(one.ok());
  REQUIRE(many.set().size() == 100);
  CHECK(many.set()[41].version == "42");
  CHECK(many.set()[41].up.sql == "CREATE TABLE t42 ();\n");
  CHECK(many.set()[41].checksum == one.set()[0].checksum);
  CHECK(many.set()[99].version == "100");
}
