// The migration lock: a session advisory lock taken by polling, never by blocking.
//
// A backend blocked in pg_advisory_lock() holds a snapshot; a CREATE INDEX CONCURRENTLY run by
// the lock's holder waits for every such snapshot, and the holder never finishes: a deadlock
// (flyway#1654, golang-migrate#960). Polling pg_try_advisory_lock() with backoff leaves no waiting
// query behind. Behind a transaction-pooling PgBouncer a session lock is not held between
// statements: migrate over a direct connection (documented).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <strata/migrator.hpp>

#include "pq/connection.hpp"

namespace strata::detail {

// Whether a session other than `conn`'s holds the migration lock `key` now (one round trip): a
// `running` history row then belongs to a live process. Changes nothing.
[[nodiscard]] bool held_by_another_session(pq::Connection& conn, std::int64_t key);

class AdvisoryLock {
 public:
  // Polls until the lock is held or `timeout` has passed (then throws LockTimeoutError naming the
  // holder). Reports the holder through `on_event` (Event::lock_waiting) while waiting, and
  // Event::lock_acquired once held. `what` names the lock in messages (the history table).
  AdvisoryLock(pq::Connection& conn, std::int64_t key, std::string what,
               std::chrono::milliseconds timeout,
               const std::function<void(const Event&)>& on_event);
  // Releases the lock if release() was not called; errors are swallowed (the session's end
  // releases it anyway).
  ~AdvisoryLock();
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

  // Releases the lock and checks the server agreed it was held. Throws Error otherwise.
  void release();

 private:
  [[nodiscard]] bool try_lock();
  // "pid 123 (application_name "strata", connected 2026-..., active since ...)", or empty.
  [[nodiscard]] std::string describe_holder();

  pq::Connection& m_conn;
  std::string m_key;  // decimal, as sent
  std::string m_what;
  bool m_held = false;
};

}  // namespace strata::detail
