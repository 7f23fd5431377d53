// The history table: its name, its layout (versioned), reading its rows and writing them.
//
// What is in the table is what is applied now. One row per applied migration, one row per
// applied revision of each routine, and a row in state `running`/`failed` for a
// non-transactional migration that is under way or stopped part-way. The columns are
// documented in docs/runtime.md; the layout number is kept in the
// table's comment ("strata history, layout 1") so a newer strata can upgrade or read an older
// table, and an older strata refuses a newer one instead of misreading it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <strata/migration_set.hpp>
#include <strata/migrator.hpp>

#include "history_table.hpp"
#include "pq/connection.hpp"

namespace strata::detail {

// The layout this strata writes. Bump it and add an upgrade step in history.cpp when a column is
// added; never remove or retype a column (older binaries may still read the table).
// Layout 2 added `adopted_from`: the tool whose history `strata adopt` took the row from.
inline constexpr int history_layout = 2;

// In a `running` or `failed` row, an `error` starting with this marks the down as under way or
// failed, not the up. (Layout 1 has no column for it; an older strata reads such a row as a failed
// up, and refuses to run as it should.)
inline constexpr std::string_view rollback_marker = "rollback: ";

// One row, as read for planning (the bodies of down SQL are read only when rolling back): what the
// public HistoryEntry shows, plus what only the runner needs.
struct HistoryRow : HistoryEntry {
  int statements_done = 0;
  bool rollback = false;  // `running`/`failed` concern the down (error starts with rollback_marker)
};

// The stored rollback SQL of one row, enough to run it without the migration's source.
struct StoredDown {
  std::int64_t id = 0;
  std::string sql;
  bool in_transaction = true;
  std::vector<Statement> statements;
  std::string path;
  std::uint32_t first_line = 1;
};

// What exists() and rows() found, read before the Migrator that plans with it existed: the `strata`
// tool reads the history on the connecting thread while it reads the folder.
struct HistorySnapshot {
  bool found = false;  // the table exists
  int layout = 0;
  std::string target;  // the schema-qualified name it was found under
  std::vector<HistoryRow> rows;
};

// Reads and writes the table over one connection. Remembers the schema the table was found in and
// its layout.
class History {
 public:
  History(pq::Connection& conn, HistoryTable table)
      : m_conn(conn), m_table(std::move(table)), m_target(m_table.quoted()) {}

  [[nodiscard]] const HistoryTable& table() const noexcept { return m_table; }

  // The migration lock's key: a stable 64-bit hash (never the server's hashtext(), which may
  // change between server versions) of the table the name resolves to on the server (one round
  // trip): the schema it exists in, or the one it would be created in, and both names as the
  // server truncates them. So `public.strata_migrations` and `strata_migrations` are one lock.
  [[nodiscard]] std::int64_t lock_key();

  // Whether the table exists (one round trip). Throws Error when it exists but is not a strata
  // table, or was written by a newer strata.
  [[nodiscard]] bool exists();
  // Every row with every field, oldest first (one round trip). Call only when exists().
  [[nodiscard]] std::vector<HistoryRow> rows();
  // exists(), then rows() when found (two round trips); throws as they do.
  [[nodiscard]] HistorySnapshot snapshot();
  // Takes what `snapshot` found, read by another History over the same database, as exists()
  // would have found it.
  void assume(const HistorySnapshot& snapshot);
  // The fast path of a no-op start: one round trip reading what deciding a run needs, without
  // looking the table up in the catalog first (on a fresh backend that lookup costs more than the
  // read). Only columns every layout has are read, so no layout check is needed to read; whatever
  // goes wrong (no table: `missing`; a foreign table: neither flag) sends the caller to the
  // careful path, exists() then rows() under the lock. On a database without the table the server
  // logs the failed SELECT ("relation does not exist") once per start, until the first migration.
  struct QuickRead {
    bool ok = false;
    bool missing = false;
    std::vector<HistoryRow> rows;
  };
  [[nodiscard]] QuickRead quick_read();
  // Creates the schema and table when missing (call under the lock), or upgrades an older layout;
  // `found` is what exists() just said, under the same lock. Throws SqlError, Error.
  void create_or_upgrade(bool found);
  // The DDL create_or_upgrade() sends for a missing table (one transaction).
  [[nodiscard]] std::string create_sql() const;
  // Marks the failed migration row `id` applied, or deletes it.
  [[nodiscard]] std::string resolved_sql(std::int64_t id) const;

  // The stored down SQL of the rows `ids`.
  [[nodiscard]] std::vector<StoredDown> stored_downs(const std::vector<std::int64_t>& ids);

  // SQL fragments, values quoted by libpq for this connection.
  // The INSERT recording `migration` as applied (or `state`), run number `run`; for a routine,
  // `revision` and its restore SQL: the previous revision's SQL, or its down for revision 1.
  // `adopted_from` names the tool whose history the row was taken from (then it is not timed).
  [[nodiscard]] std::string insert_sql(const Migration& migration, std::int64_t run, int revision,
                                       std::string_view state,
                                       std::string_view adopted_from = {}) const;
  [[nodiscard]] std::string delete_sql(std::int64_t id) const;
  // A non-transactional migration's progress: `done` statements completed.
  [[nodiscard]] std::string progress_sql(std::string_view version, int done) const;
  // A non-transactional down of row `id` under way (statements_done counts the down's).
  [[nodiscard]] std::string rollback_started_sql(std::int64_t id) const;
  [[nodiscard]] std::string failed_sql(std::string_view version, int done,
                                       std::string_view statement, std::string_view error) const;
  // A non-transactional migration applied. Its execution_ms is the server's time since the
  // `running` row was written (applied_at), so the text depends on nothing measured here and
  // up_sql() can show exactly what is sent.
  [[nodiscard]] std::string finished_sql(std::string_view version) const;
  // `sql` as an SQL expression for a stored body: a literal, or base64-decoded text when it may
  // hold a function body.
  [[nodiscard]] std::string stored_text(std::string_view sql) const;
  [[nodiscard]] std::string literal(std::string_view value) const {
    return m_conn.quote_literal(value);
  }

 private:
  pq::Connection& m_conn;
  HistoryTable m_table;
  std::string m_target;  // schema-qualified once exists() found the table
  int m_layout = 0;
};

}  // namespace strata::detail
