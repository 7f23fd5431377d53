// Reporting the sessions that block a migration's statement (see blockers.hpp).
#include "blockers.hpp"

namespace strata::detail {

BlockerReport::BlockerReport(pq::Connection& conn, std::string server_pid,
                             std::function<void(const Event&)> on_event)
    : m_conn(conn), m_server_pid(std::move(server_pid)), m_on_event(std::move(on_event)) {
  if (m_on_event)
    m_conn.on_slow_statement(after, [this] { look(); });
}

BlockerReport::~BlockerReport() {
  m_conn.on_slow_statement(after, {});
}

void BlockerReport::look() {
  if (!m_observer)
    m_observer.emplace(m_conn.connect_again());
  const pq::Result result = m_observer->exec_params(
      "SELECT string_agg(a.pid::text, ',' ORDER BY a.pid), string_agg(format('pid %s "
      "(application_name \"%s\", %s, query started %s)', a.pid, a.application_name, a.state, "
      "to_json(a.query_start) #>> '{}'), '; ' ORDER BY a.pid) "
      "FROM pg_catalog.pg_stat_activity a "
      "WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($1::integer))",
      {m_server_pid});
  const std::string pids{result.text(0, 0)};
  if (pids == m_last_pids)
    return;
  m_last_pids = pids;
  if (pids.empty())
    return;  // slow, but waiting for nobody
  Event event;
  event.type = Event::Type::lock_waiting;
  event.message =
      "the running migration waits for a lock held by " + std::string{result.text(0, 1)};
  m_on_event(event);
}

}  // namespace strata::detail
