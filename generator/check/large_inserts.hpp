// Large data statements checked without their parse tree.
//
// A data migration of a million `INSERT … VALUES` rows (13 MB) would need a JSON tree of ~100 MB
// from libpg_query and ten times that as nodes, yet no check reads the rows: the transaction and
// lint checks look at statement types and DDL. Such a statement is syntax-checked by
// PostgreSQL's grammar a chunk of rows at a time (`INSERT … VALUES <rows>` per chunk, the last
// with the statement's tail: ON CONFLICT, RETURNING, …), and the checks get the tree of the
// statement with its first row only. Memory stays a small multiple of the file.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "check/json.hpp"
#include "check/pg_query.hpp"

namespace strata::generator {

// Statements shorter than this take the ordinary path.
inline constexpr std::size_t large_statement_bytes = std::size_t{512} * 1024;

// Where an `INSERT … VALUES (…), (…) …` statement's rows are, found lexically.
struct ValuesRows {
  std::size_t rows_begin = 0;     // the first row's `(`
  std::size_t first_row_end = 0;  // just past the first row's `)`
  std::size_t rows_end = 0;       // just past the last row's `)`; the tail follows
};

// The rows of `statement` (no trailing `;`) when it is an INSERT whose source is a VALUES list
// at the top level; nullopt otherwise (INSERT … SELECT, WITH …, DEFAULT VALUES, other commands).
[[nodiscard]] std::optional<ValuesRows> find_values_rows(std::string_view statement);

struct LargeInsert {
  // pg_query_parse's document for the statement with its first row only; null when there is a
  // syntax error. Locations in it past the first row do not point into the file.
  std::optional<json::Document> tree;
  std::optional<ParseError> error;
  std::size_t error_at = 0;  // bytes into `statement`
};

// Checks `statement` with PostgreSQL's grammar, a chunk of rows at a time.
[[nodiscard]] LargeInsert parse_large_insert(std::string_view statement, const ValuesRows& rows);

}  // namespace strata::generator
