// What the adopt tests share: a migrations folder written file by file whose up SQL can be run
// straight on a database (as the other tool would have run it), and each tool's table DDL.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "process.hpp"
#include "support/database.hpp"

namespace strata::test {

class AdoptFolder {
 public:
  AdoptFolder();
  ~AdoptFolder();
  AdoptFolder(const AdoptFolder&) = delete;
  AdoptFolder& operator=(const AdoptFolder&) = delete;

  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return m_dir; }
  // Writes `text` to `relative` (folders created on the way).
  void write(const std::string& relative, const std::string& text) const;
  // Writes a migration's up file; apply_ups() runs `sql` (default: the whole text).
  void up(const std::string& relative, const std::string& text, const std::string& sql = {});
  // Runs the first `count` up SQL texts given to up(), in that order, as the other tool did.
  void apply_ups(const TempDatabase& db, std::size_t count = static_cast<std::size_t>(-1)) const;
  // The `strata` tool with `args`, then --url for `db` and -d for this folder.
  [[nodiscard]] ProcessResult tool(const TempDatabase& db, std::vector<std::string> args) const;

 private:
  std::filesystem::path m_root;
  std::filesystem::path m_dir;
  std::vector<std::string> m_ups;
};

// sqlx's _sqlx_migrations, as sqlx-postgres creates it.
[[nodiscard]] std::string sqlx_table_sql();
// Flyway's flyway_schema_history, as its PostgreSQL database type creates it.
[[nodiscard]] std::string flyway_table_sql();

}  // namespace strata::test
