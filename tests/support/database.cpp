#include "support/database.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <unistd.h>

#include "pq/connection.hpp"

namespace strata::test {

std::string cluster_url() {
  if (const char* url = std::getenv("DATABASE_URL"); url != nullptr && *url != '\0')
    return url;
  std::ifstream handle{STRATA_TEST_CLUSTER};
  for (std::string line; std::getline(handle, line);) {
    if (line.starts_with("DATABASE_URL="))
      return line.substr(13);
  }
  throw std::runtime_error(
      "no database: set DATABASE_URL, or run through ctest so the pg-cluster fixture starts one "
      "(handle " STRATA_TEST_CLUSTER ")");
}

std::string pooler_url(const std::string& mode, const std::string& database) {
  std::string key = mode == "session" ? "SESSION_URL=" : "TRANSACTION_URL=";
  std::ifstream handle{STRATA_TEST_POOLERS};
  for (std::string line; std::getline(handle, line);) {
    if (line.starts_with(key))
      return with_database(line.substr(key.size()), database);
  }
  throw std::runtime_error(
      "no PgBouncer: run through ctest so the pgbouncer fixture starts one "
      "(handle " STRATA_TEST_POOLERS ")");
}

std::string cluster_authority() {
  const std::string url = cluster_url();
  const std::size_t start = url.find('@') + 1;
  return url.substr(start, url.find('/', start) - start);
}

std::string with_database(const std::string& url, const std::string& database) {
  const std::size_t authority = url.find("://");
  const std::size_t slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  if (authority == std::string::npos || slash == std::string::npos) {
    return url + " dbname=" + database;  // key=value form: the last dbname wins
  }
  const std::size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + database +
         (query == std::string::npos ? "" : url.substr(query));
}

namespace {
// Unique across the parallel test processes of one run and across the databases of one process.
std::string unique_name() {
  std::random_device random;
  const auto suffix = (std::uint64_t{random()} << 32U) | random();
  return "strata_test_" + std::to_string(::getpid()) + "_" + std::to_string(suffix % 1000000000);
}
}  // namespace

TempDatabase::TempDatabase() : m_name(unique_name()), m_url(with_database(cluster_url(), m_name)) {
  pq::Connection admin{cluster_url(), "strata-tests"};
  admin.exec("CREATE DATABASE " + admin.quote_identifier(m_name));
}

TempDatabase::~TempDatabase() {
  try {
    pq::Connection admin{cluster_url(), "strata-tests"};
    admin.exec("DROP DATABASE IF EXISTS " + admin.quote_identifier(m_name) + " WITH (FORCE)");
  } catch (...) {
    // The cluster is thrown away after the run; a database left behind costs nothing.
  }
}

}  // namespace strata::test
