// Other tools' history tables: finding them, reading what each says is applied, and the version and
// checksum each tool gives a migration file, computed the way that tool computes them.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <strata/adopt.hpp>
#include <strata/error.hpp>
#include <strata/migration_set.hpp>

#include "pq/connection.hpp"

namespace strata::detail {

// The foreign history tables present: the one named `table` (checked against `from` when given),
// or else every tool's default table that exists (only `from`'s when given). Each table's tool is
// read from its columns, so dbmate's and golang-migrate's `schema_migrations` are told apart.
// Throws ConfigurationError when `table` is missing or its columns are not `from`'s.
[[nodiscard]] std::vector<ForeignHistory> find_foreign_tables(pq::Connection& conn,
                                                              std::optional<ForeignTool> from,
                                                              const std::string& table);

// What a foreign table records, versions in the tool's canonical spelling (foreign_version()).
struct ForeignState {
  std::set<std::string> applied;
  // Every version at or below this one counts as applied: golang-migrate's single row, Flyway's
  // BASELINE row.
  std::optional<std::string> ceiling;
  std::map<std::string, std::string> checksums;  // sqlx: hex SHA-384; Flyway: signed CRC32
  std::vector<std::string> unfinished;           // golang-migrate dirty, sqlx/Flyway success=false
  // Flyway's repeatable SQL migrations (version NULL): the script's file name without `.sql` (the
  // name strata gives the routine of an `R__` file) → the checksum of its newest successful run.
  std::map<std::string, std::string> repeatables;
};

// Reads `history` (found by find_foreign_tables). Changes nothing.
[[nodiscard]] ForeignState read_foreign(pq::Connection& conn, const ForeignHistory& history);

// The version `tool` gives `migration`, from its file or folder name, in the canonical spelling
// read_foreign() uses (numbers without leading zeros, Flyway segments without trailing zeros);
// nullopt when that tool would not read the file as a migration.
[[nodiscard]] std::optional<std::string> foreign_version(ForeignTool tool,
                                                         const Migration& migration);

// Whether foreign version `a` is at or below `b` in `tool`'s order (golang-migrate numbers,
// Flyway segments).
[[nodiscard]] bool at_or_below(ForeignTool tool, std::string_view a, std::string_view b);

// The checksum `tool` records for `migration`'s file, in read_foreign()'s spelling; nullopt for a
// tool that records none. sqlx: SHA-384 of the file's bytes as they are on disk when the file is
// still there (else of the embedded SQL), computed by the server's sha384(); Flyway: CRC-32 of the
// file's lines without their line ends, as java.util.zip.CRC32 over BufferedReader lines.
[[nodiscard]] std::optional<std::string> foreign_checksum(pq::Connection& conn, ForeignTool tool,
                                                          const Migration& migration);

// Throws `error` again, with a hint to adopt or baseline when it says an object already exists: the
// first migration failing that way on a database without history means the schema was built by
// another tool or by hand.
[[noreturn]] void rethrow_with_adopt_hint(const SqlError& error);

// Flyway's checksum of `text`, a signed 32-bit number (exposed for its unit test).
[[nodiscard]] std::int32_t flyway_checksum(std::string_view text) noexcept;

}  // namespace strata::detail
