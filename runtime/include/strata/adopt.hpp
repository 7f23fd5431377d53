// Taking over a database that another migration tool migrated: which tools strata reads, what it
// found, and how Migrator::adopt() is told what to record.
//
// Each tool's history table is read exactly as that tool writes it (the shapes and the sources
// they were taken from are in docs/switching.md); the foreign table is only ever read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

// The tools whose history tables strata can read.
enum class ForeignTool : std::uint8_t {
  dbmate,           // schema_migrations(version varchar primary key)
  sqlx,             // _sqlx_migrations(version bigint, ..., success, checksum SHA-384)
  golang_migrate,   // schema_migrations(version bigint, dirty bool): one row, the newest version
  goose,            // goose_db_version(id, version_id, is_applied, tstamp): newest row per version
  flyway,           // flyway_schema_history(installed_rank, version, ..., checksum CRC32, success)
  diesel,           // __diesel_schema_migrations(version varchar(50), run_on)
  node_pg_migrate,  // pgmigrations(id, name, run_on)
};

// Every tool, in the order --help lists them.
[[nodiscard]] const std::vector<ForeignTool>& foreign_tools() noexcept;
// "dbmate", "sqlx", "golang-migrate", "goose", "flyway", "diesel", "node-pg-migrate".
[[nodiscard]] std::string_view tool_name(ForeignTool tool) noexcept;
// The tool named `name` (as tool_name() spells it); nullopt for any other text.
[[nodiscard]] std::optional<ForeignTool> tool_named(std::string_view name) noexcept;
// The table the tool uses unless configured otherwise ("schema_migrations", "_sqlx_migrations", …).
[[nodiscard]] std::string_view default_table(ForeignTool tool) noexcept;

// A foreign history table found in the database.
struct ForeignHistory {
  ForeignTool tool = ForeignTool::dbmate;
  std::string table;         // as found: "schema_migrations", or the name given
  std::size_t versions = 0;  // how many versions it records as applied
};

struct AdoptOptions {
  // The tool to read; detected from the tables present when unset.
  std::optional<ForeignTool> from;
  // The foreign table's name when it is not the tool's default (optionally schema-qualified).
  std::string table;
  // Instead of reading a foreign table: record every migration up to and including this version
  // (a database migrated by hand, or by a tool strata does not read).
  std::optional<std::string> baseline;
  // Adopt although strata's history already has rows: records only the versions it lacks.
  bool force = false;
};

// What adopt() recorded.
struct AdoptReport {
  std::string source;                 // "dbmate (schema_migrations)" or "baseline 20240101000000"
  std::vector<std::string> versions;  // recorded as applied, in set order
  std::size_t already_recorded = 0;   // skipped because strata's history had them (--force)
  // Routines recorded as applied (revision 1): Flyway repeatable migrations (`R__name.sql`)
  // whose file still has the checksum of Flyway's newest run of it.
  std::vector<std::string> routines;
  // What was read but not recorded, one sentence each: a repeatable migration with no file here,
  // or one whose file changed since (the next `up` applies it, as Flyway would).
  std::vector<std::string> notes;
};

}  // namespace strata
