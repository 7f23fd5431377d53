// The few libpg_query calls the checks make, behind owning wrappers: every result is freed on
// every path, and callers see std::string_view in and plain values out.
//
// Units: statement locations in a parse tree are bytes; an error cursor counts characters,
// 1-based (0 = unknown).
// Never hand parse_plpgsql a function whose body is not an `AS '…'` string: libpg_query aborts
// the process on `BEGIN ATOMIC … END` and `RETURN expr` bodies (see function_bodies.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/json.hpp"

namespace strata::generator {

struct ParseError {
  std::string message;
  std::size_t cursor = 0;  // 1-based character position in the text parsed; 0 = unknown
  std::size_t line = 0;    // PL/pgSQL: the body's line the compiler names (1-based); 0 = unknown
};

struct ParseOutcome {
  std::optional<json::Document> tree;  // {"version":…, "stmts":[…]} when the text parsed
  std::optional<ParseError> error;
};

// The server's message for a statement nested too deeply, which parse_sql gives too.
inline constexpr std::string_view too_deep_message = "stack depth limit exceeded";

// pg_query_parse: the PostgreSQL 15 raw parser over a whole text (any number of statements). A
// statement nested deeper than check/nesting.hpp's max_nesting is not parsed: the error is
// too_deep_message, its cursor at that statement's first token. Throws std::system_error when
// a deeply nested statement needs a thread that cannot be started.
[[nodiscard]] ParseOutcome parse_sql(std::string_view sql);

// The PostgreSQL 15 raw parser over a whole text, without building its parse tree for the caller
// (pg_query_split_with_parser): a syntax check whose memory is that of the server's own tree.
// nullopt when the text parses.
[[nodiscard]] std::optional<ParseError> check_syntax(std::string_view sql);

// A statement's extent in a text.
struct Piece {
  std::size_t offset = 0;  // bytes; includes the whitespace and comments before the statement
  std::size_t length = 0;  // bytes; excludes the `;`
};

// pg_query_parse_plpgsql over one statement: compiles the PL/pgSQL bodies of its CREATE
// FUNCTION/PROCEDURE … LANGUAGE plpgsql AS '…' or DO block. nullopt when they compile. The
// compiler reports no position, only the line of the body it was at ("near line N").
[[nodiscard]] std::optional<ParseError> parse_plpgsql(std::string_view statement);

}  // namespace strata::generator
