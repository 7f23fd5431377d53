// Pieces of the `strata` tool: depfiles and `strata new`.
#include <fstream>
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
