// Sending one section (up or down) of a migration or routine to the server.
//
// A transactional section goes as one round trip, `BEGIN; [SET LOCAL ...;] <sql>; <bookkeeping>;
// COMMIT`, so a failure leaves no trace and the history write is atomic with it. A
// non-transactional section goes one statement at a time (CREATE INDEX CONCURRENTLY and friends
// fail inside any multi-statement string), between the history writes round_trips.hpp decides.
// Every server error comes back as a SqlError naming the migration and its file:line:col.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <strata/migrator.hpp>

#include "pq/connection.hpp"
#include "round_trips.hpp"

namespace strata::detail {

class Executor {
 public:
  Executor(pq::Connection& conn, const MigratorOptions& options)
      : m_conn(conn), m_options(options) {}

  // `section` and its history write `bookkeeping` as one transaction in one round trip.
  [[nodiscard]] RoundTrip transaction(const Section& section, std::string_view bookkeeping) const;

  // The session settings (SET, not SET LOCAL) for a non-transactional section, and their reset;
  // empty when no timeout option is set.
  [[nodiscard]] std::string session_settings() const;
  [[nodiscard]] std::string session_reset() const;

  // The statements of `section` in order (the whole SQL when the section lists none).
  [[nodiscard]] static std::vector<std::string_view> statements(const Section& section);

  // Sends the round trips of `script` in order. When one fails, throws SqlError located in the
  // section's source (file:line:col), after rolling back an open transaction and, for a statement
  // of a non-transactional section, sending script.failure_sql (when the connection survives);
  // throws ConnectionError when the server is gone. A non-transactional section that ends inside a
  // transaction one of its statements opened (BEGIN without COMMIT) fails too: the transaction is
  // rolled back, and the SqlError (no SQLSTATE) points at the statement that opened it.
  void run(const SectionScript& script);

 private:
  [[nodiscard]] std::string local_settings() const;
  void send_transaction(const SectionScript& script, const RoundTrip& trip);
  // Sends statement trip.statement; `opened_at` is the statement that opened the transaction the
  // session is in, if one of the section did (the last statement must leave none open).
  void send_statement(const SectionScript& script, const RoundTrip& trip, std::size_t& opened_at);
  // Rolls back the transaction statement `opened_at` opened and left open, records and throws that.
  [[noreturn]] void fail_unclosed(const SectionScript& script, std::size_t opened_at);
  // Sends script.failure_sql(done, error), if the section has one.
  void record_failure(const SectionScript& script, int done, const SqlError& error);
  [[nodiscard]] static SqlError locate_statement(const SqlError& raw, const SectionScript& script,
                                                 std::string_view sent, std::size_t statement);
  // Where a piece of a section's SQL sits in the string sent: bytes [begin, begin + length) of
  // the sent string are bytes [offset, offset + length) of section.sql.
  struct Piece {
    std::size_t begin = 0;
    std::size_t offset = 0;
    std::size_t length = 0;
  };
  // `raw` with the failing statement, its position and its file:line:col. `index` is the
  // failing statement when known from the count of completed statements.
  [[nodiscard]] static SqlError locate_error(const SqlError& raw, const Section& section,
                                             const Target& target, std::string_view sent,
                                             Piece piece, std::optional<std::size_t> index);

  pq::Connection& m_conn;
  const MigratorOptions& m_options;
};

}  // namespace strata::detail
