// Test access to the throwaway PostgreSQL cluster that the `pg` CTest fixture starts.
//
// Every `db` test makes its own database (TempDatabase), so tests run in parallel without seeing
// each other's tables.
#pragma once

#include <string>

namespace strata::test {

// The server's URL: DATABASE_URL when set, else the one the pg-cluster fixture wrote to its handle
// file. Throws std::runtime_error when neither exists (run the test through ctest).
[[nodiscard]] std::string cluster_url();

// The cluster's host and port ("127.0.0.1:PORT"), from cluster_url().
[[nodiscard]] std::string cluster_authority();

// A URL to `database` through the `pgbouncer` fixture's PgBouncer in `mode` ("session" or
// "transaction" pooling). Throws std::runtime_error when the fixture is not running.
[[nodiscard]] std::string pooler_url(const std::string& mode, const std::string& database);

// `url` with its database name replaced by `database`.
[[nodiscard]] std::string with_database(const std::string& url, const std::string& database);

// A new, empty database on the cluster, dropped (WITH (FORCE)) when this object goes away.
class TempDatabase {
 public:
  TempDatabase();
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return m_name; }
  // A URL that connects to this database.
  [[nodiscard]] const std::string& url() const noexcept { return m_url; }

 private:
  std::string m_name;
  std::string m_url;
};

}  // namespace strata::test
