// The emitter's pieces: literals, namespace names, templates, write-if-changed.
#include <array>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"
#include "emit/cpp_literal.hpp"
#include "emit/emitter.hpp"

using strata::generator::cpp_string_literal;

TEST_CASE("SQL becomes one literal piece per line, with exact escapes", "[emit]") {
  CHECK(cpp_string_literal("") == "\"\"");
  CHECK(cpp_string_literal("a\nb\n", "  ") == "\"a\\n\"\n  \"b\\n\"");
  CHECK(cpp_string_literal("\"\\\t") == "\"\\\"\\\\\\t\"");
  CHECK(cpp_string_literal("é") == "\"\\303\\251\"");
  CHECK(cpp_string_literal("?\?=") == "\"?\\?=\"");  // no trigraph, no -Wtrigraphs warning
  CHECK(cpp_string_literal(std::string{"\0"
                                       "1",
                                       2}) == "\"\\0001\"");
}

TEST_CASE("Namespaces must be plain C++ identifiers", "[emit]") {
  using strata::generator::is_valid_namespace;
  CHECK(is_valid_namespace("app_db"));
  CHECK(is_valid_namespace("AppDb2"));
  CHECK_FALSE(is_valid_namespace(""));
  CHECK_FALSE(is_valid_namespace("2db"));
  CHECK_FALSE(is_valid_namespace("app-db"));
  CHECK_FALSE(is_valid_namespace("a::b"));
  CHECK_FALSE(is_valid_namespace("namespace"));
  CHECK_FALSE(is_valid_namespace("__x"));
}

TEST_CASE("An empty set emits a valid empty table", "[emit]") {
  const auto files = strata::generator::emit(strata::MigrationSet{}, {"empty_db", "/m"});
  CHECK(files.header.find("namespace empty_db {") != std::string::npos);
  CHECK(files.header.find("inline const strata::MigrationSet& migrations() noexcept {") !=
        std::string::npos);
  CHECK(files.source.find("constexpr char text[] = \"\";") != std::string::npos);
  CHECK(files.source.find("table{text, index, 0};") != std::string::npos);
  CHECK(files.source.find('@') == std::string::npos);
}

TEST_CASE("The generated unit includes only the light table header", "[emit]") {
  strata::test::TempFolder root;
  root.write("m/1_a.sql", "SELECT 1;\n");
  const auto run = strata::test::compile_folder(root);
  REQUIRE(run.ok());
  const auto files = strata::generator::emit(run.set(), {"ns", "/m"});
  // <string_view> and <span> cost a 10,000-migration unit more than its data (bench/compiler).
  CHECK(files.source.find("#include <strata/compiled_table.hpp>\n") != std::string::npos);
  CHECK(files.source.find("#include <strata/migration_set.hpp>") == std::string::npos);
  CHECK(files.source.find("#include \"ns.hpp\"") == std::string::npos);
}

TEST_CASE("A name ending in a backslash cannot splice the next literal into its comment",
          "[emit]") {
  const std::array<strata::Migration, 1> migrations{
      strata::Migration{strata::MigrationKind::migration, "1", "odd\\", "sha256:x",
                        strata::Section{"SELECT 1;\n", {}, "/m/1_odd\\.sql"}}};
  const auto files = strata::generator::emit(strata::MigrationSet{migrations}, {"ns", "/m"});
  CHECK(files.source.find("// 1_odd \n") != std::string::npos);
  CHECK(files.source.find("\\\n") == std::string::npos);  // no line ends in a backslash
}

TEST_CASE("SQL that looks like a placeholder is never substituted", "[emit]") {
  strata::test::TempFolder root;
  root.write("m/1_a.sql", "SELECT '@NAMESPACE@ @TABLE@';\n");
  const auto run = strata::test::compile_folder(root);
  REQUIRE(run.ok());
  const auto files = strata::generator::emit(run.set(), {"ns", "/m"});
  CHECK(files.source.find("SELECT '@NAMESPACE@ @TABLE@';") != std::string::npos);
}

TEST_CASE("Outputs are rewritten only when their content changes", "[emit]") {
  strata::test::TempFolder root;
  const auto path = root.path() / "out/x.cpp";
  std::string error;
  REQUIRE(strata::generator::write_if_changed(path, "one", error));
  const auto first = std::filesystem::last_write_time(path);
  std::filesystem::last_write_time(path, first - std::chrono::hours(1));
  const auto backdated = std::filesystem::last_write_time(path);
  REQUIRE(strata::generator::write_if_changed(path, "one", error));
  CHECK(std::filesystem::last_write_time(path) == backdated);
  REQUIRE(strata::generator::write_if_changed(path, "two", error));
  CHECK(std::filesystem::last_write_time(path) != backdated);
  std::ifstream in{path};
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "two");
}
