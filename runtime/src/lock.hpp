// The migration lock: a session advisory lock taken by polling, never by blocking.
//
// A backend blocked in pg_advisory_lock() holds a snapshot; a CREATE INDEX CONCURRENTLY run by
// the lock's holder waits for every such snapshot, and the holder never finishes: a deadlock
// (flyway#1654, golang-migrate#960). Polling pg_try_advisory_lock() with backoff leaves no waiting
// query behind.
//
// A session lock needs the session: behind a pooler that hands the server connection to other
// clients between transactions (PgBouncer's transaction or statement pooling) the lock would stay
// on a pooled server connection that strata no longer drives, and block every later migration.
// So such a pooler is detected before anything changes, and refused.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <strata/migrator.hpp>

#include "blockers.hpp"
#include "pq/connection.hpp"

namespace strata::detail {

// Whether a session other than `conn`'s holds the migration lock `key` now (one round trip): a
// `running` history row then belongs to a live process. Changes nothing.
[[nodiscard]] bool held_by_another_session(pq::Connection& conn, std::int64_t key);

// Refuses a session that cannot hold the migration lock or write: throws Error when the server is
// a hot standby or the session is read-only (default_transaction_read_only), ConfigurationError
// when `conn` goes through a pooler that hands its server connection to other clients between
// transactions. Costs one round trip on a direct connection (libpq's backend key names the server
// process); behind a pooler, a second connection and a few round trips.
void refuse_unusable_session(pq::Connection& conn);

// Which sightings of the lock's holder are worth saying while waiting: the first, then each new
// holder. A holder's state and times change while it works, which is not news; nor is a holder
// that let go between a failed try and the look at pg_locks (the next try takes the lock, or sees
// who took it first).
class HolderNews {
 public:
  // `pid` is the holder seen by this poll, empty when none was seen.
  [[nodiscard]] bool is_news(const std::string& pid);

 private:
  bool m_said = false;
  std::string m_last_pid;
};

class AdvisoryLock {
 public:
  // Refuses an unusable session first (refuse_unusable_session). Then polls until the lock is
  // held or `timeout` has passed (then throws LockTimeoutError naming the holder). Reports the
  // holder through `on_event` (Event::lock_waiting) while waiting, and Event::lock_acquired once
  // held. `what` names the lock in messages (the history table).
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
  // Unlocks a lock left on a server session that this connection's statements no longer reach (a
  // pooler moved them), and ends that session if it cannot be reached while idle. Never throws.
  void release_stranded() noexcept;
  // "pid 123 (application_name "strata", connected 2026-..., active since ...)", or empty; the
  // holder's pid goes to `pid` (unchanged when there is none).
  [[nodiscard]] std::string describe_holder(std::string& pid);

  pq::Connection& m_conn;
  std::string m_key;  // decimal, as sent
  std::string m_what;
  bool m_held = false;
  std::string m_holder_pid;  // the server process that granted the lock
  // While held: reports what blocks the migrations' statements.
  std::optional<BlockerReport> m_blockers;
};

// The migration lock for one operation of a Migrator: an AdvisoryLock taken for it, or nothing
// when the Migrator already holds the lock for a run of operations (Migrator::hold_lock).
class OperationLock {
 public:
  // Held elsewhere: nothing to take or release.
  OperationLock() = default;
  // Takes the lock as AdvisoryLock does, and throws as it does.
  OperationLock(pq::Connection& conn, std::int64_t key, std::string what,
                std::chrono::milliseconds timeout,
                const std::function<void(const Event&)>& on_event)
      : m_lock(std::in_place, conn, key, std::move(what), timeout, on_event) {}

  // AdvisoryLock::release() when this operation took the lock; nothing otherwise.
  void release() {
    if (m_lock)
      m_lock->release();
  }

 private:
  std::optional<AdvisoryLock> m_lock;
};

}  // namespace strata::detail
