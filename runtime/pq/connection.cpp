// libpq behind RAII: connecting, running SQL, turning failures into strata errors.
#include "pq/connection.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <poll.h>
#include <string>
#include <utility>

namespace strata::pq {
namespace {

struct FreememDeleter {
  void operator()(char* p) const noexcept { PQfreemem(p); }
};

std::string field(const PGresult* result, int code) {
  const char* value = PQresultErrorField(result, code);
  return value != nullptr ? value : "";
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text;
}

}  // namespace

long Result::affected_rows() const noexcept {
  const char* tuples = PQcmdTuples(m_result.get());
  return tuples != nullptr && *tuples != '\0' ? std::strtol(tuples, nullptr, 10) : 0;
}

SqlError make_sql_error(const PGresult* result, PGconn* conn, std::string_view statement) {
  SqlError::Fields fields;
  fields.sqlstate = field(result, PG_DIAG_SQLSTATE);
  fields.message = field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (fields.message.empty())
    fields.message = trimmed(PQerrorMessage(conn));
  fields.detail = field(result, PG_DIAG_MESSAGE_DETAIL);
  fields.hint = field(result, PG_DIAG_MESSAGE_HINT);
  fields.statement = std::string{statement};
  const std::string position = field(result, PG_DIAG_STATEMENT_POSITION);
  fields.position = position.empty() ? 0 : static_cast<std::uint32_t>(std::stoul(position));
  fields.connection_usable = PQstatus(conn) == CONNECTION_OK;
  std::string what =
      fields.sqlstate.empty() ? fields.message : fields.sqlstate + ": " + fields.message;
  return SqlError{what, std::move(fields)};
}

Connection::Connection(std::string_view conninfo, std::string_view application_name) {
  const std::string dbname{conninfo};
  const std::string app{application_name};
  // libpq's own parse error may quote the string, password included: parse it first, here.
  if (std::string error; !dbname.empty() && !parse_conninfo_options(dbname, error))
    throw ConfigurationError("invalid connection string: " + error);
  const bool app_from_env = std::getenv("PGAPPNAME") != nullptr;
  // expand_dbname=1: `dbname` may hold a whole URL or key=value string; its settings win over
  // the keywords before it, so a user's application_name is kept.
  const std::array<const char*, 4> keys{"fallback_application_name", "client_encoding", "dbname",
                                        nullptr};
  const std::array<const char*, 4> values{app_from_env ? nullptr : app.c_str(), "UTF8",
                                          dbname.empty() ? nullptr : dbname.c_str(), nullptr};
  m_conn.reset(PQconnectdbParams(keys.data(), values.data(), 1));
  if (!m_conn)
    throw ConnectionError("cannot connect: out of memory");
  if (PQstatus(m_conn.get()) != CONNECTION_OK) {
    throw ConnectionError("cannot connect to " +
                          (dbname.empty() ? "the PG* default server" : redact(dbname)) + ": " +
                          trimmed(PQerrorMessage(m_conn.get())));
  }
  on_notice({});
}

Connection Connection::connect_again() const {
  const ConninfoOptions in_use{PQconninfo(m_conn.get())};
  if (!in_use)
    throw ConnectionError("cannot connect again: out of memory");
  std::vector<const char*> keys;
  std::vector<const char*> values;
  for (const PQconninfoOption* option = in_use.get(); option->keyword != nullptr; ++option) {
    if (option->val != nullptr && *option->val != '\0') {
      keys.push_back(option->keyword);
      values.push_back(option->val);
    }
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  Connection again;
  again.m_conn.reset(PQconnectdbParams(keys.data(), values.data(), 0));
  if (!again.m_conn || PQstatus(again.m_conn.get()) != CONNECTION_OK) {
    throw ConnectionError("cannot open a second connection to " + describe() + ": " +
                          (again.m_conn ? trimmed(PQerrorMessage(again.m_conn.get()))
                                        : std::string{"out of memory"}));
  }
  again.on_notice({});
  return again;
}

Connection::Connection(PGconn* borrowed, Borrow) : m_conn(borrowed), m_borrowed(true) {
  if (borrowed == nullptr || PQstatus(borrowed) != CONNECTION_OK) {
    (void)m_conn.release();
    throw ConnectionError("the connection given to strata is not open");
  }
  // libpq returns the previous receiver but not its argument: libpq's default receiver ignores
  // it, a caller's custom receiver must be installed again after strata is done (documented).
  m_previous_receiver = PQsetNoticeReceiver(borrowed, nullptr, nullptr);
  on_notice({});
}

Connection::~Connection() {
  restore_borrowed();
}

Connection::Connection(Connection&& other) noexcept
    : m_conn(std::move(other.m_conn)),
      m_borrowed(std::exchange(other.m_borrowed, false)),
      m_previous_receiver(std::exchange(other.m_previous_receiver, nullptr)),
      m_previous_receiver_arg(std::exchange(other.m_previous_receiver_arg, nullptr)),
      m_notice_handler(std::move(other.m_notice_handler)),
      m_slow_observer(std::move(other.m_slow_observer)),
      m_slow_every(other.m_slow_every) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    restore_borrowed();
    m_conn = std::move(other.m_conn);
    m_borrowed = std::exchange(other.m_borrowed, false);
    m_previous_receiver = std::exchange(other.m_previous_receiver, nullptr);
    m_previous_receiver_arg = std::exchange(other.m_previous_receiver_arg, nullptr);
    m_notice_handler = std::move(other.m_notice_handler);
    m_slow_observer = std::move(other.m_slow_observer);
    m_slow_every = other.m_slow_every;
  }
  return *this;
}

void Connection::restore_borrowed() noexcept {
  if (!m_borrowed || !m_conn)
    return;
  PQsetNoticeReceiver(m_conn.get(), m_previous_receiver, m_previous_receiver_arg);
  (void)m_conn.release();  // the caller closes it
}

namespace {

// Throws unless `result` is a success; the statement goes into the error for position mapping.
Result checked(PGresult* raw, PGconn* conn, std::string_view statement) {
  Result result{raw};
  if (raw == nullptr) {
    throw ConnectionError("lost the connection to the server: " + trimmed(PQerrorMessage(conn)));
  }
  const ExecStatusType status = PQresultStatus(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return result;
  }
  throw make_sql_error(raw, conn, statement);
}

}  // namespace

Result Connection::exec(std::string_view sql) {
  const std::string text{sql};  // PQexec needs a NUL-terminated string
  return checked(PQexec(m_conn.get(), text.c_str()), m_conn.get(), sql);
}

Connection::ScriptOutcome Connection::exec_script(std::string_view sql) {
  PGconn* conn = m_conn.get();
  const std::string text{sql};
  if (PQsendQuery(conn, text.c_str()) == 0) {
    throw ConnectionError("cannot send to the server: " + trimmed(PQerrorMessage(conn)));
  }
  ScriptOutcome outcome;
  bool answered = false;
  while (Result result{(await_answer(), PQgetResult(conn))}) {
    answered = true;
    const PGresult* raw = result.native();
    switch (PQresultStatus(raw)) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        if (!outcome.error)
          ++outcome.completed;
        break;
      case PGRES_COPY_IN:
        // A migration has no data to stream: end the COPY with an error so the server goes on.
        PQputCopyEnd(conn, "COPY FROM STDIN is not supported in a strata migration");
        break;
      case PGRES_COPY_OUT: {
        char* row = nullptr;
        while (PQgetCopyData(conn, &row, 0) > 0)
          PQfreemem(row);
        break;
      }
      default:
        if (!outcome.error)
          outcome.error = make_sql_error(raw, conn, sql);
        break;
    }
  }
  if (!answered && PQstatus(conn) != CONNECTION_OK) {
    throw ConnectionError("lost the connection to the server: " + trimmed(PQerrorMessage(conn)));
  }
  return outcome;
}

void Connection::on_slow_statement(std::chrono::milliseconds every,
                                   std::function<void()> observer) {
  m_slow_every = every;
  m_slow_observer = std::move(observer);
}

void Connection::await_answer() noexcept {
  if (!m_slow_observer)
    return;  // PQgetResult blocks
  using Clock = std::chrono::steady_clock;
  PGconn* conn = m_conn.get();
  auto next = Clock::now() + m_slow_every;
  while (PQisBusy(conn) != 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now());
    pollfd socket{PQsocket(conn), POLLIN, 0};
    const int ready = ::poll(&socket, 1, static_cast<int>(std::max<long>(left.count(), 0)));
    if (ready < 0 && errno != EINTR)
      return;  // PQgetResult waits on and reports the failure
    if (ready > 0 && PQconsumeInput(conn) == 0)
      return;
    if (ready == 0) {
      try {
        m_slow_observer();
      } catch (...) {
        // Reporting is a courtesy; the statement goes on.
      }
      next = Clock::now() + m_slow_every;
    }
  }
}

bool Connection::in_transaction() const noexcept {
  const PGTransactionStatusType status = PQtransactionStatus(m_conn.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

Result Connection::exec_params(std::string_view sql,
                               const std::vector<std::optional<std::string>>& params) {
  const std::string text{sql};
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params)
    values.push_back(param ? param->c_str() : nullptr);
  return checked(PQexecParams(m_conn.get(), text.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0),
                 m_conn.get(), sql);
}

std::string Connection::quote_literal(std::string_view value) const {
  std::unique_ptr<char, FreememDeleter> quoted{
      PQescapeLiteral(m_conn.get(), value.data(), value.size())};
  if (!quoted)
    throw Error("cannot quote a literal: " + trimmed(PQerrorMessage(m_conn.get())));
  return quoted.get();
}

std::string Connection::quote_identifier(std::string_view name) const {
  std::unique_ptr<char, FreememDeleter> quoted{
      PQescapeIdentifier(m_conn.get(), name.data(), name.size())};
  if (!quoted)
    throw Error("cannot quote an identifier: " + trimmed(PQerrorMessage(m_conn.get())));
  return quoted.get();
}

void Connection::on_notice(std::function<void(const Notice&)> handler) {
  m_notice_handler = std::make_unique<std::function<void(const Notice&)>>(std::move(handler));
  PQsetNoticeReceiver(m_conn.get(), &Connection::receive_notice, m_notice_handler.get());
}

void Connection::receive_notice(void* handler, const PGresult* result) noexcept {
  const auto& notify = *static_cast<std::function<void(const Notice&)>*>(handler);
  if (!notify)
    return;
  try {
    notify(Notice{field(result, PG_DIAG_SEVERITY_NONLOCALIZED), field(result, PG_DIAG_SQLSTATE),
                  field(result, PG_DIAG_MESSAGE_PRIMARY)});
  } catch (...) {
    // A notice must never unwind through libpq's C frames; a failing handler loses one notice.
  }
}

std::string Connection::describe() const {
  const char* host = PQhost(m_conn.get());
  return std::string{"database \""} + PQdb(m_conn.get()) + "\" as " + PQuser(m_conn.get()) +
         " on " + (host != nullptr ? host : "?") + ":" + PQport(m_conn.get());
}

}  // namespace strata::pq
