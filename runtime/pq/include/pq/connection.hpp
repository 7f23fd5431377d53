// A thin RAII layer over libpq, private to the runtime (no public header names a libpq type).
//
// Connection and Result are move-only owners of PGconn and PGresult with noexcept destructors.
// Every failure is thrown as a strata error carrying the server's fields; no caller ever checks a
// status code or calls PQclear.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <strata/error.hpp>

#include <libpq-fe.h>

#include "pq/conninfo.hpp"

namespace strata::pq {

struct ConnDeleter {
  void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
};
struct ResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};

// The rows of a successful command. Values are text; a NULL reads as std::nullopt.
class Result {
 public:
  explicit Result(PGresult* result) noexcept : m_result(result) {}

  [[nodiscard]] int rows() const noexcept { return PQntuples(m_result.get()); }
  [[nodiscard]] int columns() const noexcept { return PQnfields(m_result.get()); }
  [[nodiscard]] bool is_null(int row, int column) const noexcept {
    return PQgetisnull(m_result.get(), row, column) != 0;
  }
  // The value at (row, column) as text; empty for NULL.
  [[nodiscard]] std::string_view text(int row, int column) const noexcept {
    return {PQgetvalue(m_result.get(), row, column),
            static_cast<std::size_t>(PQgetlength(m_result.get(), row, column))};
  }
  [[nodiscard]] std::optional<std::string> value(int row, int column) const {
    if (is_null(row, column))
      return std::nullopt;
    return std::string{text(row, column)};
  }
  [[nodiscard]] const PGresult* native() const noexcept { return m_result.get(); }
  [[nodiscard]] explicit operator bool() const noexcept { return m_result != nullptr; }
  // Rows affected by an INSERT/UPDATE/DELETE; 0 when not applicable.
  [[nodiscard]] long affected_rows() const noexcept;

 private:
  std::unique_ptr<PGresult, ResultDeleter> m_result;
};

// What the server said with a notice (RAISE NOTICE, "already exists, skipping").
struct Notice {
  std::string severity;  // NOTICE, WARNING, INFO, ...
  std::string sqlstate;
  std::string message;
};

// One open connection. Not thread-safe: one connection per thread, as libpq requires.
class Connection {
 public:
  // Connects with a URL (postgresql://...) or key=value string; libpq's PG* variables fill in what
  // it leaves out; an empty string connects with the PG* defaults alone. Sets application_name to
  // `application_name` unless the string or PGAPPNAME sets one.
  // Throws ConnectionError (with the password redacted) when the server cannot be reached or
  // refuses; ConfigurationError when the string does not parse (never quoting the string).
  explicit Connection(std::string_view conninfo, std::string_view application_name = "strata");

  // Borrows a connection the caller opened and keeps owning: it is never closed here, and the
  // caller's notice receiver is put back when this object goes away. Throws ConnectionError when
  // `borrowed` is null or not connected.
  struct Borrow {};
  Connection(PGconn* borrowed, Borrow);

  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements as one simple-query round trip (PQexec). Statements in the string
  // run in one implicit transaction unless it contains its own BEGIN/COMMIT.
  // Throws SqlError with the server's fields, `statement` = `sql`.
  Result exec(std::string_view sql);

  // What exec_script() did: how many statements completed before the first error, and that error.
  struct ScriptOutcome {
    std::size_t completed = 0;
    std::optional<SqlError> error;
  };

  // Sends `sql` (any number of statements) as one simple-query round trip, like exec(), but
  // counts the statements that completed, so a caller can tell which statement failed when the
  // server gives no position (e.g. "relation already exists"). Does not throw SqlError: a failure
  // is returned. Throws ConnectionError when the connection is lost before any answer.
  [[nodiscard]] ScriptOutcome exec_script(std::string_view sql);

  // While exec_script() waits longer than `every` for the server's next answer, calls `observer`
  // on the waiting thread, then again after each further `every` (e.g. to report what blocks the
  // statement, over another connection). An empty function stops it. The observer must not use
  // this connection, which is busy, and should not throw (what it throws is dropped).
  void on_slow_statement(std::chrono::milliseconds every, std::function<void()> observer);

  // Whether a transaction block is open (PQTRANS_INTRANS or PQTRANS_INERROR).
  [[nodiscard]] bool in_transaction() const noexcept;

  // Runs one statement with text parameters (NULL for std::nullopt). Throws SqlError.
  Result exec_params(std::string_view sql, const std::vector<std::optional<std::string>>& params);

  // `value` as a quoted SQL literal ('it''s'), escaped by libpq for this connection's encoding.
  [[nodiscard]] std::string quote_literal(std::string_view value) const;
  // `name` as a quoted identifier ("user"), escaped by libpq.
  [[nodiscard]] std::string quote_identifier(std::string_view name) const;

  // Sends every notice to `handler` instead of libpq's default (printing to stderr). Pass an empty
  // function to drop notices.
  void on_notice(std::function<void(const Notice&)> handler);

  // A second connection with the options this one was opened with (server, database, user,
  // password: libpq's PQconninfo), the caller's notice receiver aside. Throws ConnectionError.
  [[nodiscard]] Connection connect_again() const;

  // The backend key libpq received at connect time. A direct connection's is the server's process
  // id for this session (pg_stat_activity.pid); a pooler such as PgBouncer makes one up.
  [[nodiscard]] int backend_pid() const noexcept { return PQbackendPID(m_conn.get()); }
  // Whether the connection is still open and idle-capable after an error.
  [[nodiscard]] bool usable() const noexcept { return PQstatus(m_conn.get()) == CONNECTION_OK; }
  // The database name, user and host in effect (no password), for messages.
  [[nodiscard]] std::string describe() const;

  [[nodiscard]] PGconn* native() const noexcept { return m_conn.get(); }

 private:
  Connection() = default;  // for connect_again(), which fills it
  static void receive_notice(void* self, const PGresult* result) noexcept;

  void restore_borrowed() noexcept;
  // Waits for the answer in progress, calling the slow-statement observer while it takes long.
  void await_answer() noexcept;

  std::unique_ptr<PGconn, ConnDeleter> m_conn;
  bool m_borrowed = false;
  PQnoticeReceiver m_previous_receiver = nullptr;  // a borrowed connection's own receiver
  void* m_previous_receiver_arg = nullptr;
  // Boxed so its address, registered with libpq, survives a move of the Connection.
  std::unique_ptr<std::function<void(const Notice&)>> m_notice_handler;
  std::function<void()> m_slow_observer;
  std::chrono::milliseconds m_slow_every{0};
};

// The SqlError for a failed result: server fields read with PQresultErrorField.
[[nodiscard]] SqlError make_sql_error(const PGresult* result, PGconn* conn,
                                      std::string_view statement);

}  // namespace strata::pq
