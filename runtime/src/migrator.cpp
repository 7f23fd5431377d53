// strata::Migrator: construction, the read-only operations, and the public entry points.
#include <utility>

#include <strata/migrator.hpp>
#include <strata/version_order.hpp>

#include "lock.hpp"
#include "migrator_impl.hpp"
#include "plan.hpp"

namespace strata {

std::string_view to_string(RowState state) noexcept {
  switch (state) {
    case RowState::running:
      return "running";
    case RowState::failed:
      return "failed";
    case RowState::applied:
      break;
  }
  return "applied";
}

Migrator::Impl::Impl(pq::Connection connection, std::string redacted_conninfo,
                     const MigrationSet& set, MigratorOptions migrator_options,
                     detail::HistoryTable table)
    : conn(std::move(connection)),
      redacted(std::move(redacted_conninfo)),
      set_view(set),
      migrations(set.begin(), set.end()),
      options(std::move(migrator_options)),
      history(conn, std::move(table)),
      executor(conn, options) {
  // Impl lives on the heap, so `this` stays valid for libpq's notice callback across moves of
  // the Migrator.
  conn.on_notice([this](const pq::Notice& notice) {
    Event event;
    event.type = Event::Type::notice;
    event.kind = current.kind;
    event.version = current.version;
    event.name = current.name;
    event.message = notice.message;
    event.severity = notice.severity;
    emit(event);
  });
}

std::vector<detail::HistoryRow> Migrator::Impl::read() {
  return history.exists() ? history.rows() : std::vector<detail::HistoryRow>{};
}

Plan Migrator::Impl::prepared_plan(const std::vector<detail::HistoryRow>& rows,
                                   bool lock_held_elsewhere) {
  Plan plan = detail::make_plan(migrations, rows, lock_held_elsewhere);
  if (!options.prepare)
    return plan;
  std::vector<std::size_t> positions;
  for (const PlanEntry& entry : plan.entries) {
    if (entry.position && entry.state != MigrationState::applied)
      positions.push_back(*entry.position);
  }
  if (positions.empty())
    return plan;
  options.prepare(positions);
  // In place: what the plan's positions lead to, from here on.
  for (const std::size_t position : positions)
    migrations[position] = set_view[position];
  return plan;
}

void Migrator::Impl::emit(const Event& event) const {
  if (options.on_event)
    options.on_event(event);
}

namespace {

Event step_event(Event::Type type, const detail::Target& target, int revision) {
  Event event;
  event.type = type;
  event.kind = target.kind;
  event.version = target.version;
  event.name = target.name;
  event.revision = revision;
  return event;
}

}  // namespace

detail::OperationLock Migrator::Impl::lock_operation() {
  if (held)
    return {};
  return detail::OperationLock{conn, history.lock_key(), history.table().quoted(),
                               options.lock_timeout, options.on_event};
}

void Migrator::Impl::started(const detail::Target& target, int revision) {
  current = target;
  emit(step_event(Event::Type::migration_started, target, revision));
}

void Migrator::Impl::finished(const detail::Target& target, int revision,
                              std::chrono::milliseconds duration, RunReport& report) {
  current = {};
  Event event = step_event(Event::Type::migration_finished, target, revision);
  event.duration = duration;
  emit(event);
  report.steps.push_back(
      RunReport::Step{target.kind, target.version, target.name, revision, duration});
}

Migrator::Migrator(std::string_view conninfo, const MigrationSet& set, MigratorOptions options) {
  detail::HistoryTable table{options.history_table};  // ConfigurationError before connecting
  pq::Connection conn{conninfo, options.application_name};
  std::string redacted = conninfo.empty() ? conn.describe() : pq::redact(conninfo);
  m_impl = std::make_unique<Impl>(std::move(conn), std::move(redacted), set, std::move(options),
                                  std::move(table));
}

Migrator::Migrator(BorrowedConnection connection, const MigrationSet& set,
                   MigratorOptions options) {
  detail::HistoryTable table{options.history_table};
  pq::Connection conn{connection.connection, pq::Connection::Borrow{}};
  std::string redacted = conn.describe();
  m_impl = std::make_unique<Impl>(std::move(conn), std::move(redacted), set, std::move(options),
                                  std::move(table));
}

HistoryRead::HistoryRead(BorrowedConnection connection, std::string_view history_table)
    : m_data(std::make_unique<Data>()) {
  detail::HistoryTable table{history_table};
  m_data->table = table.quoted();
  pq::Connection conn{connection.connection, pq::Connection::Borrow{}};
  detail::History history{conn, std::move(table)};
  m_data->snapshot = history.snapshot();
}

HistoryRead::~HistoryRead() = default;
HistoryRead::HistoryRead(HistoryRead&&) noexcept = default;
HistoryRead& HistoryRead::operator=(HistoryRead&&) noexcept = default;

Migrator::~Migrator() = default;
Migrator::Migrator(Migrator&&) noexcept = default;
Migrator& Migrator::operator=(Migrator&&) noexcept = default;

Plan Migrator::plan() {
  return m_impl->plan_of(m_impl->read());
}

Plan Migrator::plan(HistoryRead read) {
  const detail::HistorySnapshot& snapshot = read.m_data->snapshot;
  if (read.m_data->table != m_impl->history.table().quoted()) {
    throw ConfigurationError("the history read is of table " + read.m_data->table +
                             ", this migrator's is " + m_impl->history.table().quoted());
  }
  m_impl->history.assume(snapshot);
  return m_impl->plan_of(snapshot.rows);
}

Plan Migrator::Impl::plan_of(const std::vector<detail::HistoryRow>& rows) {
  // Read without the lock: a `running` row may belong to a live process, which holds the lock.
  const bool running = std::any_of(rows.begin(), rows.end(), [](const detail::HistoryRow& row) {
    return row.state == RowState::running;
  });
  return prepared_plan(rows, running && detail::held_by_another_session(conn, history.lock_key()));
}

Plan Migrator::verify() {
  Plan result = plan();
  detail::check_refusals(result, m_impl->options);
  const bool nothing_recorded =
      std::all_of(result.entries.begin(), result.entries.end(),
                  [](const PlanEntry& entry) { return entry.applied_at.empty(); });
  if (nothing_recorded)
    m_impl->refuse_unadopted(m_impl->history.exists());
  return result;
}

RunReport Migrator::up() {
  return m_impl->up(std::nullopt, true);
}

RunReport Migrator::up(std::string_view to_version) {
  const bool known =
      std::any_of(m_impl->migrations.begin(), m_impl->migrations.end(), [&](const Migration& m) {
        return m.kind == MigrationKind::migration &&
               std::is_eq(compare_versions(m.version, to_version));
      });
  if (!known) {
    throw ConfigurationError("up --to " + std::string{to_version} +
                             ": no migration with that version in this set");
  }
  return m_impl->up(std::string{to_version}, false);
}

RunReport Migrator::down(std::size_t steps) {
  return m_impl->down(steps, std::nullopt);
}

RunReport Migrator::down_to(std::string_view version) {
  if (!is_valid_version(version)) {
    throw ConfigurationError("down --to " + std::string{version} +
                             ": not a version (digits, optionally separated by - . _)");
  }
  return m_impl->down(std::nullopt, std::string{version});
}

RunReport Migrator::down_all() {
  return m_impl->down(std::nullopt, std::nullopt);
}

std::vector<std::string> Migrator::up_sql() {
  return m_impl->up_sql();
}

std::vector<HistoryEntry> Migrator::history() {
  std::vector<HistoryEntry> entries;
  for (detail::HistoryRow& row : m_impl->read())
    entries.push_back(std::move(static_cast<HistoryEntry&>(row)));
  return entries;
}

void Migrator::resolve(std::string_view version, Resolution how) {
  m_impl->resolve(version, how);
}

AdoptReport Migrator::adopt(const AdoptOptions& options) {
  return m_impl->adopt(options);
}

std::optional<ForeignHistory> Migrator::foreign_history() {
  return m_impl->foreign_history();
}

Migrator::LockHold Migrator::hold_lock() {
  if (m_impl->held)
    throw ConfigurationError("this migrator already holds the migration lock");
  m_impl->held.emplace(m_impl->conn, m_impl->history.lock_key(), m_impl->history.table().quoted(),
                       m_impl->options.lock_timeout, m_impl->options.on_event);
  return LockHold{m_impl.get()};
}

Migrator::LockHold::LockHold(LockHold&& other) noexcept
    : m_impl(std::exchange(other.m_impl, nullptr)) {}

Migrator::LockHold::~LockHold() {
  if (m_impl != nullptr)
    m_impl->held.reset();  // releases; an error is swallowed (the session's end releases it)
}

void Migrator::LockHold::release() {
  if (m_impl == nullptr)
    return;
  Impl* impl = std::exchange(m_impl, nullptr);
  // Over even when release() throws (it has marked the lock not held): otherwise the Migrator's
  // later operations would believe the lock held and take none.
  struct Over {
    Impl* impl;
    ~Over() { impl->held.reset(); }
  } over{impl};
  impl->held->release();
}

std::string Migrator::redacted_conninfo() const {
  return m_impl->redacted;
}

}  // namespace strata
