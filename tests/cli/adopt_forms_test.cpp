// `strata adopt` beyond the versioned rows: Flyway's repeatable migrations (`R__name.sql`, rows
// with version NULL) taken over as strata routines, and the notes for those it cannot take over.
// Each database holds the tool's table in its documented shape with the rows the tool writes.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "adopt_support.hpp"
#include "cli_support.hpp"
#include "foreign.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"

using strata::test::AdoptFolder;
using strata::test::ProcessResult;
using strata::test::TempDatabase;

namespace {

constexpr const char* k_view = "CREATE OR REPLACE VIEW t_ids AS SELECT id FROM t;\n";
constexpr const char* k_function =
    "CREATE OR REPLACE FUNCTION t_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM "
    "t';\n";

std::string crc_of(const std::string& text) {
  return std::to_string(strata::detail::flyway_checksum(text));
}

// A Flyway folder (V1, V1.1 with their undos, two repeatables) that Flyway migrated: its table
// has a row for each versioned migration and for each repeatable with `recorded` as their text,
// plus one for a repeatable whose file is gone.
void migrated_by_flyway(const TempDatabase& db, AdoptFolder& folder,
                        const std::string& recorded_function) {
  folder.up("V1__create.sql", "CREATE TABLE t (id int);\n");
  folder.write("U1__create.sql", "DROP TABLE t;\n");
  folder.up("V1_1__more.sql", "CREATE TABLE u (id int);\n");
  folder.write("U1_1__more.sql", "DROP TABLE u;\n");
  folder.up("R__t_ids.sql", k_view);
  folder.up("R__t_count.sql", k_function, recorded_function);
  folder.apply_ups(db);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec(strata::test::flyway_table_sql());
  conn.exec(
      "INSERT INTO flyway_schema_history VALUES "
      "(1, '1', 'create', 'SQL', 'V1__create.sql', " +
      crc_of("CREATE TABLE t (id int);\n") +
      ", 'me', now(), 5, true), "
      "(2, '1.1', 'more', 'SQL', 'V1_1__more.sql', NULL, 'me', now(), 5, true), "
      "(3, NULL, 't ids', 'SQL', 'R__t_ids.sql', " +
      crc_of(k_view) +
      ", 'me', now(), 5, true), "
      "(4, NULL, 't count', 'SQL', 'R__t_count.sql', " +
      crc_of(recorded_function) +
      ", 'me', now(), 5, true), "
      "(5, NULL, 'old', 'SQL', 'R__old.sql', 1, 'me', now(), 5, true)");
}

}  // namespace

TEST_CASE("Flyway repeatable migrations are adopted as routines when their file is unchanged",
          "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  migrated_by_flyway(db, folder, k_function);
  const ProcessResult adopt = folder.tool(db, {"adopt", "--from", "flyway"});
  INFO(adopt.out << adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Catch::Contains("Adopted 2 migrations and 2 routines from flyway"));
  CHECK_THAT(adopt.err,
             Catch::Contains("note: Flyway's repeatable migration R__old.sql has no routine file "
                             "here: ignored"));

  const ProcessResult status = folder.tool(db, {"status", "--json"});
  REQUIRE(status.exit_code == 0);
  for (const auto& [name, state] : strata::test::states(status.out)) {
    INFO(name);
    CHECK(state == "applied");
  }
  CHECK(folder.tool(db, {"verify"}).exit_code == 0);
  const ProcessResult up = folder.tool(db, {"up"});
  CHECK(up.exit_code == 0);
  CHECK(up.out.find("Applied") == std::string::npos);
  CHECK_THAT(folder.tool(db, {"history"}).out, Catch::Contains("R__t_ids@1"));

  // Rolling everything back drops the routines' objects too (their derived DROPs were stored).
  REQUIRE(folder.tool(db, {"down", "--all"}).exit_code == 0);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  CHECK(conn.exec("SELECT to_regclass('t_ids') IS NULL").text(0, 0) == "t");
}

TEST_CASE("A Flyway repeatable migration whose file changed is left to the next up, with a note",
          "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  const std::string older =
      "CREATE OR REPLACE FUNCTION t_count() RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint';\n";
  migrated_by_flyway(db, folder, older);
  const ProcessResult adopt = folder.tool(db, {"adopt", "--from", "flyway", "--json"});
  INFO(adopt.out << adopt.err);
  REQUIRE(adopt.exit_code == 0);
  const auto report = strata::test::parse_json(adopt.out);
  std::vector<std::string> routines;
  for (const auto& entry : report.get_child("routines"))
    routines.push_back(entry.second.get_value<std::string>());
  CHECK(routines == std::vector<std::string>{"R__t_ids"});
  std::string notes;
  for (const auto& entry : report.get_child("notes"))
    notes += entry.second.get_value<std::string>() + "\n";
  CHECK_THAT(notes, Catch::Contains("R__t_count.sql changed since Flyway last ran it"));

  const ProcessResult up = folder.tool(db, {"up"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.out, Catch::Contains("R__t_count"));
  strata::pq::Connection conn{db.url(), "strata-tests"};
  CHECK(conn.exec("SELECT t_count()").text(0, 0) == "0");  // the table is empty: the new body
}

TEST_CASE("A failed run of a Flyway repeatable migration is refused like a failed versioned one",
          "[cli][db]") {
  TempDatabase db;
  AdoptFolder folder;
  migrated_by_flyway(db, folder, k_function);
  strata::pq::Connection conn{db.url(), "strata-tests"};
  conn.exec("UPDATE flyway_schema_history SET success = false WHERE installed_rank = 3");
  const ProcessResult adopt = folder.tool(db, {"adopt", "--from", "flyway"});
  CHECK(adopt.exit_code == 3);
  CHECK_THAT(adopt.err, Catch::Contains("migration R__t_ids as unfinished"));
}
