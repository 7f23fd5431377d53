// The migration lock: pg_try_advisory_lock polled with jittered exponential backoff.
#include "lock.hpp"

#include <algorithm>
#include <random>
#include <thread>

#include <strata/error.hpp>

namespace strata::detail {
namespace {

constexpr std::chrono::milliseconds first_wait{5};
constexpr std::chrono::milliseconds longest_wait{250};

const std::string pooler_advice =
    "a session advisory lock cannot be held there, so strata changed nothing. Migrate over a "
    "direct connection to the server, or through a pooler in session mode (PgBouncer: "
    "pool_mode = session)";

ConfigurationError transaction_pooling(const pq::Connection& conn) {
  return ConfigurationError(
      "the connection to " + conn.describe() +
      " goes through a connection pooler that hands its server connection to other clients "
      "between transactions (PgBouncer's pool_mode = transaction or statement): " +
      pooler_advice);
}

using Clock = std::chrono::steady_clock;

// now + timeout, or the end of time when that would overflow the clock (a library caller may pass
// milliseconds::max() to mean "wait for ever").
Clock::time_point deadline_after(std::chrono::milliseconds timeout) {
  const Clock::time_point now = Clock::now();
  if (timeout >=
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now))
    return Clock::time_point::max();
  return now + timeout;
}

std::string server_pid(pq::Connection& conn) {
  return std::string{conn.exec("SELECT pg_catalog.pg_backend_pid()").text(0, 0)};
}

}  // namespace

bool HolderNews::is_news(const std::string& pid) {
  if (m_said && (pid.empty() || pid == m_last_pid))
    return false;
  m_said = true;
  m_last_pid = pid;
  return true;
}

void refuse_unusable_session(pq::Connection& conn) {
  const pq::Result session = conn.exec(
      "SELECT pg_catalog.pg_backend_pid(), pg_catalog.pg_is_in_recovery(), "
      "pg_catalog.current_setting('transaction_read_only')");
  // A bare "25006: cannot execute CREATE TABLE in a read-only transaction" says neither why nor
  // where to go.
  if (session.text(0, 1) == "t") {
    throw Error("the server of " + conn.describe() +
                " is a hot standby (in recovery, read-only): migrations change the database, "
                "so run them against the primary server");
  }
  if (session.text(0, 2) == "on") {
    throw Error("the session on " + conn.describe() +
                " is read-only (default_transaction_read_only is on for this database, role or "
                "server): connect to the primary server, or as a role whose sessions may write");
  }
  const std::string first{session.text(0, 0)};
  if (first == std::to_string(conn.backend_pid()))
    return;  // libpq's backend key is the server's own: no pooler in between
  // A pooler (PgBouncer makes up the key it gives each client). In session mode the server
  // connection stays ours while we are idle; in transaction mode it goes back to the pool, where
  // the next client's transaction takes it (PgBouncer reuses the one released last), or our next
  // transaction runs on another one while others keep the pool busy. Either shows within a few
  // rounds; in session mode neither can happen.
  pq::Connection other = conn.connect_again();
  for (int round = 0; round < 3; ++round) {
    const std::string mine = server_pid(conn);
    const std::string theirs = server_pid(other);
    const std::string again = server_pid(conn);
    if (mine != first || theirs == mine || again != mine)
      throw transaction_pooling(conn);
  }
}

AdvisoryLock::AdvisoryLock(pq::Connection& conn, std::int64_t key, std::string what,
                           std::chrono::milliseconds timeout,
                           const std::function<void(const Event&)>& on_event)
    : m_conn(conn), m_key(std::to_string(key)), m_what(std::move(what)) {
  refuse_unusable_session(m_conn);
  const auto deadline = deadline_after(timeout);
  std::minstd_rand random{std::random_device{}()};
  auto wait = first_wait;
  std::string last_holder;
  HolderNews news;
  while (!try_lock()) {
    std::string pid;
    const std::string holder = describe_holder(pid);
    if (news.is_news(pid) && on_event) {
      Event event;
      event.type = Event::Type::lock_waiting;
      event.message = "waiting for the migration lock on " + m_what +
                      (holder.empty() ? "" : ", held by " + holder);
      on_event(event);
    }
    if (!holder.empty())
      last_holder = holder;
    const auto now = Clock::now();
    if (now >= deadline) {
      throw LockTimeoutError("timed out after " + std::to_string(timeout.count()) +
                             " ms waiting for the migration lock on " + m_what +
                             (last_holder.empty() ? "" : ", held by " + last_holder) +
                             " (raise the lock timeout, or stop that session)");
    }
    // Jitter keeps N processes started together from polling in lockstep.
    std::uniform_int_distribution<long> jitter{wait.count() / 2, wait.count()};
    const auto pause =
        std::min(std::chrono::milliseconds{jitter(random)},
                 std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    std::this_thread::sleep_for(pause);
    wait = std::min(wait * 2, longest_wait);
  }
  // The lock belongs to the server session that answered. A pooler that the check above could not
  // catch in the act shows here: the next statement runs on another session.
  if (server_pid(m_conn) != m_holder_pid) {
    release_stranded();
    m_held = false;
    throw transaction_pooling(m_conn);
  }
  m_blockers.emplace(m_conn, m_holder_pid, on_event);
  if (on_event) {
    Event event;
    event.type = Event::Type::lock_acquired;
    event.message = "holding the migration lock on " + m_what;
    on_event(event);
  }
}

AdvisoryLock::~AdvisoryLock() {
  m_blockers.reset();
  if (!m_held)
    return;
  try {
    if (m_conn.usable()) {
      if (m_conn.in_transaction())
        (void)m_conn.exec("ROLLBACK");
      const pq::Result result =
          m_conn.exec_params("SELECT pg_catalog.pg_advisory_unlock($1::bigint)", {m_key});
      if (result.text(0, 0) != "t")
        release_stranded();
    }
  } catch (...) {
    // Already unwinding from another error; the lock goes when the session ends.
  }
}

void AdvisoryLock::release() {
  m_blockers.reset();
  if (!m_held)
    return;
  m_held = false;
  const pq::Result result =
      m_conn.exec_params("SELECT pg_catalog.pg_advisory_unlock($1::bigint)", {m_key});
  if (result.text(0, 0) != "t") {
    release_stranded();
    throw Error("the migration lock on " + m_what +
                " was not held by this session when strata "
                "released it: a pooler moved the session's statements to another server "
                "connection; " +
                pooler_advice);
  }
}

bool held_by_another_session(pq::Connection& conn, std::int64_t key) {
  const pq::Result result = conn.exec_params(
      "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks l "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
      "AND l.pid <> pg_catalog.pg_backend_pid() "
      "AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = "
      "pg_catalog.current_database()) "
      "AND l.classid = (($1::bigint >> 32) & 4294967295)::oid "
      "AND l.objid = ($1::bigint & 4294967295)::oid)",
      {std::to_string(key)});
  return result.text(0, 0) == "t";
}

bool AdvisoryLock::try_lock() {
  const pq::Result result = m_conn.exec_params(
      "SELECT pg_catalog.pg_try_advisory_lock($1::bigint), pg_catalog.pg_backend_pid()", {m_key});
  m_held = result.text(0, 0) == "t";
  m_holder_pid = result.text(0, 1);
  return m_held;
}

void AdvisoryLock::release_stranded() noexcept {
  try {
    // PgBouncer hands out the idle server connection released last, so the session holding the
    // lock usually answers one of the next few statements: unlock it there.
    for (int attempt = 0; attempt < 50; ++attempt) {
      const pq::Result result = m_conn.exec_params(
          "SELECT CASE WHEN pg_catalog.pg_backend_pid() = $2::integer "
          "THEN pg_catalog.pg_advisory_unlock($1::bigint) END, "
          "EXISTS (SELECT FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND granted "
          "AND pid = $2::integer AND objsubid = 1 AND database = (SELECT oid FROM "
          "pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) "
          "AND classid = (($1::bigint >> 32) & 4294967295)::oid "
          "AND objid = ($1::bigint & 4294967295)::oid)",
          {m_key, m_holder_pid});
      if (result.text(0, 0) == "t" || result.text(0, 1) != "t")
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    // Out of reach: end that server session while it is idle (the pooler replaces it), which
    // ends the lock with it.
    (void)m_conn.exec_params(
        "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity "
        "WHERE pid = $1::integer AND state = 'idle'",
        {m_holder_pid});
  } catch (...) {
    // Nothing more can be done from here; the pooler's server_lifetime ends the session.
  }
}

std::string AdvisoryLock::describe_holder(std::string& pid) {
  const pq::Result result = m_conn.exec_params(
      "SELECT a.pid, coalesce(a.application_name, ''), to_json(a.backend_start) #>> '{}', "
      "coalesce(a.state, ''), coalesce(to_json(a.state_change) #>> '{}', '') "
      "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
      "AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = "
      "pg_catalog.current_database()) "
      "AND l.classid = (($1::bigint >> 32) & 4294967295)::oid "
      "AND l.objid = ($1::bigint & 4294967295)::oid LIMIT 1",
      {m_key});
  if (result.rows() == 0)
    return {};
  pid = result.text(0, 0);
  return "pid " + pid + " (application_name \"" + std::string{result.text(0, 1)} +
         "\", connected since " + std::string{result.text(0, 2)} + ", " +
         std::string{result.text(0, 3)} + " since " + std::string{result.text(0, 4)} + ")";
}

}  // namespace strata::detail
