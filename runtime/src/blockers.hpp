// Who blocks a running migration. A statement that waits for a lock held by another session (a
// long transaction reading the table an ALTER TABLE needs) would otherwise hang silently: while a
// statement has waited longer than a moment, the sessions it waits for are reported — pid,
// application_name, state, when their query started — once, and again only when they change.
// They are asked over a second connection, opened on first need: the first one is busy waiting.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <strata/migrator.hpp>

#include "pq/connection.hpp"

namespace strata::detail {

class BlockerReport {
 public:
  // Watches the statements `conn` runs from now on; `server_pid` is the server process of `conn`'s
  // session (pg_backend_pid()). Reports through `on_event` (Event::lock_waiting).
  BlockerReport(pq::Connection& conn, std::string server_pid,
                std::function<void(const Event&)> on_event);
  // Stops watching.
  ~BlockerReport();
  BlockerReport(const BlockerReport&) = delete;
  BlockerReport& operator=(const BlockerReport&) = delete;

  // How long a statement waits before its blockers are looked up, and between look-ups.
  static constexpr std::chrono::milliseconds after{1000};

 private:
  void look();

  pq::Connection& m_conn;
  std::string m_server_pid;
  std::function<void(const Event&)> m_on_event;
  std::optional<pq::Connection> m_observer;  // the second connection
  std::string m_last_pids;                   // who was reported last
};

}  // namespace strata::detail
