// Reading a test database back: its schema, the history table, single values.
#pragma once

#include <string>
#include <vector>

#include "pq/connection.hpp"

namespace strata::test {

// The first column of the first row of `sql` as text ("" when no row or NULL).
[[nodiscard]] std::string scalar(pq::Connection& conn, const std::string& sql);

// Every table, column, index and function of the public schema except the history table, one
// per line, sorted: two databases with equal snapshots have the same schema.
[[nodiscard]] std::string schema_snapshot(pq::Connection& conn);

// "kind version name revision state" for every row of the history table, oldest first.
[[nodiscard]] std::vector<std::string> history_rows(pq::Connection& conn,
                                                    const std::string& table = "strata_migrations");

}  // namespace strata::test
