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

}  // namespace

AdvisoryLock::AdvisoryLock(pq::Connection& conn, std::int64_t key, std::string what,
                           std::chrono::milliseconds timeout,
                           const std::function<void(const Event&)>& on_event)
    : m_conn(conn), m_key(std::to_string(key)), m_what(std::move(what)) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  std::minstd_rand random{std::random_device{}()};
  auto wait = first_wait;
  std::string last_holder;
  while (!try_lock()) {
    const std::string holder = describe_holder();
    if (holder != last_holder && on_event) {
      Event event;
      event.type = Event::Type::lock_waiting;
      event.message = "waiting for the migration lock on " + m_what +
                      (holder.empty() ? "" : ", held by " + holder);
      on_event(event);
    }
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
  if (on_event) {
    Event event;
    event.type = Event::Type::lock_acquired;
    event.message = "holding the migration lock on " + m_what;
    on_event(event);
  }
}

AdvisoryLock::~AdvisoryLock() {
  if (!m_held)
    return;
  try {
    if (m_conn.usable()) {
      if (m_conn.in_transaction())
        (void)m_conn.exec("ROLLBACK");
      (void)m_conn.exec_params("SELECT pg_catalog.pg_advisory_unlock($1::bigint)", {m_key});
    }
  } catch (...) {
    // Already unwinding from another error; the lock goes when the session ends.
  }
}

void AdvisoryLock::release() {
  if (!m_held)
    return;
  m_held = false;
  const pq::Result result =
      m_conn.exec_params("SELECT pg_catalog.pg_advisory_unlock($1::bigint)", {m_key});
  if (result.text(0, 0) != "t") {
    throw Error("the migration lock on " + m_what +
                " was not held when strata released it (is a transaction-pooling connection "
                "pooler between strata and the server? migrate over a direct connection)");
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
  const pq::Result result =
      m_conn.exec_params("SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", {m_key});
  m_held = result.text(0, 0) == "t";
  return m_held;
}

std::string AdvisoryLock::describe_holder() {
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
  return "pid " + std::string{result.text(0, 0)} + " (application_name \"" +
         std::string{result.text(0, 1)} + "\", connected since " + std::string{result.text(0, 2)} +
         ", " + std::string{result.text(0, 3)} + " since " + std::string{result.text(0, 4)} + ")";
}

}  // namespace strata::detail
