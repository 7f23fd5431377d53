// Pieces of the `strata` tool: depfiles and `strata new`.
#include "tool/compiler_commands.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "catalog/file_names.hpp"
#include "compiler_fixture.hpp"
#include "tool/depfile.hpp"
#include "tool/new_command.hpp"

using strata::generator::tool::NewForm;

TEST_CASE("A depfile names its target and escapes make's special characters", "[tool]") {
  const auto text = strata::generator::tool::make_depfile(
      "/out/db.cpp", {"/m", "/m/1 a.sql", "/m/2_$x.sql", "/m/3#.sql"});
  CHECK(text == "/out/db.cpp: \\\n  /m \\\n  /m/1\\ a.sql \\\n  /m/2_$$x.sql \\\n  /m/3\\#.sql\n");
}

TEST_CASE("strata new creates a dbmate file with both markers, stamped in UTC", "[tool]") {
  strata::test::TempFolder root;
  std::ostringstream out;
  std::ostringstream err;
  const auto folder = root.path() / "db/migrations";
  REQUIRE(strata::generator::tool::create_migration("create_users", folder, NewForm::dbmate, out,
                                                    err) == 0);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator{folder})
    files.push_back(entry);
  REQUIRE(files.size() == 1);
  const std::string name = files[0].filename().string();
  CHECK(std::regex_match(name, std::regex{R"(\d{14}_create_users\.sql)"}));
  CHECK(out.str() == "Creating migration: " + files[0].string() + "\n");
  std::ifstream in{files[0]};
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "-- migrate:up\n\n\n-- migrate:down\n\n");
}

TEST_CASE("strata new --form pair creates both files, --form plain one", "[tool]") {
  strata::test::TempFolder root;
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(strata::generator::tool::create_migration("a", root.path() / "p", NewForm::pair, out,
                                                    err) == 0);
  REQUIRE(strata::generator::tool::create_migration("b", root.path() / "q", NewForm::plain, out,
                                                    err) == 0);
  CHECK(std::distance(std::filesystem::directory_iterator{root.path() / "p"},
                      std::filesystem::directory_iterator{}) == 2);
  CHECK(std::distance(std::filesystem::directory_iterator{root.path() / "q"},
                      std::filesystem::directory_iterator{}) == 1);
}

TEST_CASE("strata new refuses names that are not valid file names", "[tool]") {
  strata::test::TempFolder root;
  std::ostringstream out;
  std::ostringstream err;
  CHECK(strata::generator::tool::create_migration("a/b", root.path(), NewForm::dbmate, out, err) ==
        2);
  CHECK(strata::generator::tool::create_migration("", root.path(), NewForm::dbmate, out, err) == 2);
  CHECK(strata::generator::tool::create_migration("a:b", root.path(), NewForm::dbmate, out, err) ==
        2);
  CHECK(out.str().empty());
  CHECK(err.str().find("is not a valid migration name") != std::string::npos);
}

namespace {
// Runs `strata <args…>` in-process; returns the exit code and what it printed.
struct ToolRun {
  int code = -1;
  std::string out;
  std::string err;
};

ToolRun run_tool(std::vector<std::string> args) {
  args.insert(args.begin(), "strata");
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  std::ostringstream out;
  std::ostringstream err;
  auto* const old_out = std::cout.rdbuf(out.rdbuf());
  auto* const old_err = std::cerr.rdbuf(err.rdbuf());
  ToolRun run;
  run.code =
      strata::generator::tool::run_compiler_command(static_cast<int>(argv.size()), argv.data());
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  run.out = out.str();
  run.err = err.str();
  return run;
}
}  // namespace

TEST_CASE("strata generate writes the header, the unit and a depfile naming every input",
          "[tool]") {
  strata::test::TempFolder root;
  root.write("m/1_a.sql",
             "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
  const auto out = root.path() / "out";
  const auto run =
      run_tool({"generate", "-d", (root.path() / "m").string(), "--namespace", "app_db",
                "--out-dir", out.string(), "--depfile", (out / "app_db.d").string()});
  REQUIRE(run.code == 0);
  CHECK(std::filesystem::exists(out / "app_db.hpp"));
  CHECK(std::filesystem::exists(out / "app_db.cpp"));
  std::ifstream depfile{out / "app_db.d"};
  std::stringstream text;
  text << depfile.rdbuf();
  CHECK(text.str() == (out / "app_db.cpp").string() + ": \\\n  " + (root.path() / "m").string() +
                          " \\\n  " + (root.path() / "m/1_a.sql").string() + "\n");

  // Unchanged input: the outputs are not rewritten.
  const auto backdated =
      std::filesystem::last_write_time(out / "app_db.cpp") - std::chrono::hours(1);
  std::filesystem::last_write_time(out / "app_db.cpp", backdated);
  REQUIRE(run_tool({"generate", "-d", (root.path() / "m").string(), "--namespace", "app_db",
                    "--out-dir", out.string()})
              .code == 0);
  CHECK(std::filesystem::last_write_time(out / "app_db.cpp") == backdated);
}

TEST_CASE("strata generate writes nothing and exits 1 when a migration has an error", "[tool]") {
  strata::test::TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\nSELEC 2;\n");
  const auto out = root.path() / "out";
  const auto run =
      run_tool({"generate", "-d", (root.path() / "m").string(), "--namespace", "app_db",
                "--out-dir", out.string(), "--depfile", (out / "app_db.d").string()});
  CHECK(run.code == 1);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK(run.err.find((root.path() / "m/1_a.sql").string() +
                     ":2:1: error: syntax error at or near \"SELEC\" [strata-E201]") !=
        std::string::npos);
}

TEST_CASE("strata check --list prints version, name and checksum; bad usage exits 2", "[tool]") {
  strata::test::TempFolder root;
  root.write("m/1_a.up.sql", "SELECT 1;\n");
  root.write("r/f.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n");
  const auto run = run_tool({"check", "-d", (root.path() / "m").string(), "--routines",
                             (root.path() / "r").string(), "--list"});
  REQUIRE(run.code == 0);
  const auto second_line = run.out.find('\n') + 1;
  CHECK(run.out.substr(0, second_line) ==
        "1 a sha256:b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd\n");
  CHECK(run.out.substr(second_line).starts_with("R f sha256:"));
  CHECK(run_tool({"check", "--no-such-option"}).code == 2);
  CHECK(run_tool({"generate", "-d", (root.path() / "m").string()}).code == 2);  // no --namespace
  CHECK(run_tool({"generate", "-d", (root.path() / "m").string(), "--namespace", "a-b", "--out-dir",
                  (root.path() / "o").string()})
            .code == 2);
  const auto keyword = run_tool({"generate", "-d", (root.path() / "m").string(), "--namespace",
                                 "switch", "--out-dir", (root.path() / "o").string()});
  CHECK(keyword.code == 2);
  CHECK(keyword.err.find("switch") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(root.path() / "o" / "switch.cpp"));
  CHECK(run_tool({"check", "--help"}).out.find("--list") != std::string::npos);
}
