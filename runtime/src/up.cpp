// up(): the no-op fast path, the lock, then each pending migration and each changed routine.
#include <algorithm>
#include <chrono>
#include <compare>

#include <strata/version_order.hpp>

#include "foreign.hpp"
#include "lock.hpp"
#include "migrator_impl.hpp"
#include "plan.hpp"
#include "round_trips.hpp"

namespace strata {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::int64_t next_run(const std::vector<detail::HistoryRow>& rows) {
  std::int64_t run = 0;
  for (const detail::HistoryRow& row : rows)
    run = std::max(run, row.run);
  return run + 1;
}

bool wanted(const PlanEntry& entry, const std::optional<std::string>& to, bool with_routines) {
  if (!entry.position)
    return false;
  if (entry.kind == MigrationKind::routine) {
    return with_routines &&
           (entry.state == MigrationState::pending || entry.state == MigrationState::outdated);
  }
  if (entry.state != MigrationState::pending && entry.state != MigrationState::out_of_order) {
    return false;
  }
  return !to || std::is_lteq(compare_versions(entry.version, *to));
}

// What up applies, in order: the wanted migrations, then the wanted routines.
std::vector<const PlanEntry*> to_apply(const Plan& plan, const std::optional<std::string>& to,
                                       bool with_routines) {
  std::vector<const PlanEntry*> out;
  for (const MigrationKind kind : {MigrationKind::migration, MigrationKind::routine}) {
    for (const PlanEntry& entry : plan.entries) {
      if (entry.kind == kind && wanted(entry, to, with_routines))
        out.push_back(&entry);
    }
  }
  return out;
}

}  // namespace

RunReport Migrator::Impl::up(const std::optional<std::string>& to, bool with_routines) {
  const auto start = Clock::now();
  RunReport report;
  // Fast path without the lock: a start with nothing to do costs this one round trip.
  // Anything else (pending work, a running or failed row, drift, no table...) is decided again,
  // carefully, under the lock. Under a lock held already, the careful path costs no more.
  if (!held) {
    const detail::History::QuickRead quick = history.quick_read();
    if (quick.missing && migrations.empty())
      return report;
    if (quick.ok) {
      const Plan plan = detail::make_plan(migrations, quick.rows);
      if (detail::is_settled(plan, with_routines, options)) {
        report.ahead = detail::ahead_versions(plan, options);
        return report;
      }
    }
  }

  detail::OperationLock lock = lock_operation();
  const bool found = history.exists();
  refuse_unadopted(found);  // before the history table exists: creating it would adopt nothing
  history.create_or_upgrade(found);
  const std::vector<detail::HistoryRow> rows = history.rows();
  const Plan plan = prepared_plan(rows);
  detail::check_refusals(plan, options);
  report.ahead = detail::ahead_versions(plan, options);
  if (!report.ahead.empty()) {  // a newer release migrated: nothing of this one is wanted
    lock.release();
    report.total = since(start);
    return report;
  }
  const std::int64_t run = next_run(rows);
  for (const PlanEntry* entry : to_apply(plan, to, with_routines)) {
    try {
      apply(*entry, run, report);
    } catch (const SqlError& error) {
      if (entry->kind == MigrationKind::migration && rows.empty() && report.steps.empty())
        detail::rethrow_with_adopt_hint(error);
      throw;
    }
  }
  lock.release();
  report.total = since(start);
  return report;
}

void Migrator::Impl::apply(const PlanEntry& entry, std::int64_t run, RunReport& report) {
  const detail::SectionScript script =
      detail::applying(entry, migrations[*entry.position], run, history, executor);
  const auto start = Clock::now();
  started(script.target, script.revision);
  executor.run(script);
  finished(script.target, script.revision, since(start), report);
}

std::vector<std::string> Migrator::Impl::up_sql() {
  const bool exists = history.exists();
  const std::vector<detail::HistoryRow> rows =
      exists ? history.rows() : std::vector<detail::HistoryRow>{};
  const Plan plan = prepared_plan(rows);
  detail::check_refusals(plan, options);
  std::vector<std::string> out;
  if (!plan.has_pending() || !detail::ahead_versions(plan, options).empty())
    return out;
  if (!exists)
    out.push_back(history.create_sql());
  const std::int64_t run = next_run(rows);
  for (const PlanEntry* entry : to_apply(plan, std::nullopt, true)) {
    for (detail::RoundTrip& trip :
         detail::applying(*entry, migrations[*entry->position], run, history, executor).round_trips)
      out.push_back(std::move(trip.sql));
  }
  return out;
}

}  // namespace strata
