// Sending one section (up or down) of a migration or routine to the server.
//
// A transactional section goes as one round trip, `BEGIN; [SET LOCAL ...;] <sql>; <bookkeeping>;
// COMMIT`, so a failure leaves no trace and the history write is atomic with it. A
// non-transactional section goes one statement at a time (CREATE INDEX CONCURRENTLY and friends
// fail inside any multi-statement string), with its bookkeeping done by the caller's callbacks.
// Every server error comes back as a SqlError naming the migration and its file:line:col.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <strata/migrator.hpp>

#include "pq/connection.hpp"

namespace strata::detail {

// What a section belongs to, for messages.
struct Target {
  MigrationKind kind = MigrationKind::migration;
  std::string version;
  std::string name;
  bool rollback = false;  // running its down section
};

class Executor {
 public:
  Executor(pq::Connection& conn, const MigratorOptions& options)
      : m_conn(conn), m_options(options) {}

  // The exact string run_transactional() sends.
  [[nodiscard]] std::string transactional_text(const Section& section,
                                               std::string_view bookkeeping) const;
  // Sends transactional_text() as one round trip. On failure rolls back and throws SqlError with
  // the position mapped to the section's source; throws ConnectionError when the server is gone.
  void run_transactional(const Section& section, const Target& target,
                         std::string_view bookkeeping);

  // The session settings (SET, not SET LOCAL) for a non-transactional section, and their reset;
  // empty when no timeout option is set.
  [[nodiscard]] std::string session_settings() const;
  [[nodiscard]] std::string session_reset() const;

  // The statements of `section` in order (the whole SQL when the section lists none).
  [[nodiscard]] static std::vector<std::string_view> statements(const Section& section);

  // Sends the statements of `section` one by one. After statement i succeeds calls
  // `progress(i + 1)`; when one fails calls `failed(done, error)` (to record it; `done` statements
  // took effect) and throws that error, located in the source. A section that ends inside a
  // transaction one of its statements opened (BEGIN without COMMIT) fails too: the transaction is
  // rolled back, and the SqlError (no SQLSTATE) points at the statement that opened it.
  void run_statements(const Section& section, const Target& target,
                      const std::function<void(int done)>& progress,
                      const std::function<void(int done, const SqlError& error)>& failed);

 private:
  [[nodiscard]] std::string local_settings() const;
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
