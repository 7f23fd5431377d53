// Unit tests of the runtime's pure helpers: source positions and history table names.
#include "source_map.hpp"

#include <catch2/catch.hpp>

#include "history.hpp"
#include "integration/test_set.hpp"

TEST_CASE("Server positions in characters map to byte offsets and file columns", "[source]") {
  const std::string sql = "-- café\nSELECT 'é', x;\n";
  CHECK(strata::detail::utf8_length(sql) == 23);       // two 2-byte characters in 25 bytes
  CHECK(strata::detail::byte_offset_of(sql, 8) == 9);  // character 8 ('S') follows "é" and '\n'
  CHECK(strata::detail::byte_offset_of(sql, 99) == sql.size());
  const auto statements = strata::test::split_statements(sql, 10);
  const strata::Section section{sql, std::span{statements}, "/m.sql", 10, true};
  const strata::SourcePosition position = strata::detail::locate(section, sql.find('x'));
  CHECK(position.path == "/m.sql");
  CHECK(position.line == 11);
  CHECK(position.column == 13);  // "SELECT 'é', " is 12 characters, 13 bytes
  REQUIRE(strata::detail::statement_at(section, sql.find('x')) == 0U);
  CHECK(strata::detail::statement_start(section, 0) == sql.find("SELECT"));
}

TEST_CASE("History table names are parsed and quoted like SQL identifiers", "[history]") {
  using strata::detail::HistoryTable;
  CHECK(HistoryTable{"strata_migrations"}.quoted() == "\"strata_migrations\"");
  CHECK(HistoryTable{"Migration.History"}.quoted() == "\"migration\".\"history\"");
  const HistoryTable quoted{R"("My ""Schema"""."T.1")"};
  CHECK(quoted.schema() == "My \"Schema\"");
  CHECK(quoted.table() == "T.1");
  CHECK(quoted.quoted() == "\"My \"\"Schema\"\"\".\"T.1\"");
  for (const char* bad : {"", ".t", "s.", "a.b.c", "\"open", "\"\"", "\"x\"y", "a\"b"}) {
    CHECK_THROWS_AS(HistoryTable{bad}, strata::ConfigurationError);
  }
}
