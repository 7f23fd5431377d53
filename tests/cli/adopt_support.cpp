// Shared helpers of the adopt tests (see adopt_support.hpp).
#include "adopt_support.hpp"

#include <fstream>
#include <random>
#include <stdexcept>

#include "cli_support.hpp"
#include "pq/connection.hpp"

namespace strata::test {

AdoptFolder::AdoptFolder() {
  std::random_device random;
  m_root = std::filesystem::temp_directory_path() /
           ("strata-adopt-" + std::to_string(random()) + std::to_string(random()));
  m_dir = m_root / "migrations";
  std::filesystem::create_directories(m_dir);
}

AdoptFolder::~AdoptFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(m_root, ignored);
}

void AdoptFolder::write(const std::string& relative, const std::string& text) const {
  const std::filesystem::path path = m_dir / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + relative);
}

void AdoptFolder::up(const std::string& relative, const std::string& text, const std::string& sql) {
  write(relative, text);
  m_ups.push_back(sql.empty() ? text : sql);
}

void AdoptFolder::apply_ups(const TempDatabase& db, std::size_t count) const {
  pq::Connection conn{db.url(), "strata-tests"};
  for (std::size_t i = 0; i < m_ups.size() && i < count; ++i)
    conn.exec(m_ups[i]);
}

ProcessResult AdoptFolder::tool(const TempDatabase& db, std::vector<std::string> args) const {
  args = args + std::vector<std::string>{"--url", db.url(), "-d", m_dir.string()};
  return strata_tool(args);
}

std::string sqlx_table_sql() {
  return "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, "
         "installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum "
         "BYTEA NOT NULL, execution_time BIGINT NOT NULL)";
}

std::string flyway_table_sql() {
  return "CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL, version VARCHAR(50), "
         "description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT "
         "NULL, checksum INTEGER, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT "
         "NULL DEFAULT now(), execution_time INTEGER NOT NULL, success BOOLEAN NOT NULL); "
         "ALTER TABLE flyway_schema_history ADD CONSTRAINT flyway_schema_history_pk PRIMARY KEY "
         "(installed_rank)";
}

}  // namespace strata::test
