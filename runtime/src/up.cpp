// up(): the no-op fast path, the lock, then each pending migration and each changed routine.
#include <algorithm>
#include <chrono>
#include <compare>

#include <strata/version_order.hpp>

#include "foreign.hpp"
#include "lock.hpp"
#include "migrator_impl.hpp"
#include "plan.hpp"

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

detail::Target target_of(const Migration& migration) {
  return {migration.kind, std::string{migration.version}, std::string{migration.name}};
}

bool wanted(const PlanEntry& entry, const std::optional<std::string>& to, bool with_routines) {
  if (entry.migration == nullptr)
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

}  // namespace

RunReport Migrator::Impl::up(const std::optional<std::string>& to, bool with_routines) {
  const auto start = Clock::now();
  RunReport report;
  // Fast path without the lock: a start with nothing to do costs this one round trip.
  // Anything else (pending work, a running or failed row, drift, no table...) is decided again,
  // carefully, under the lock.
  {
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

  detail::AdvisoryLock lock{conn, history.lock_key(), history.table().quoted(),
                            options.lock_timeout, options.on_event};
  refuse_unadopted();  // before the history table exists: creating it would adopt nothing
  history.create_or_upgrade();
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
  for (const PlanEntry& entry : plan.entries) {
    if (entry.kind == MigrationKind::migration && wanted(entry, to, with_routines)) {
      try {
        apply_migration(*entry.migration, run, report);
      } catch (const SqlError& error) {
        if (rows.empty() && report.steps.empty())
          detail::rethrow_with_adopt_hint(error);
        throw;
      }
    }
  }
  for (const PlanEntry& entry : plan.entries) {
    if (entry.kind == MigrationKind::routine && wanted(entry, to, with_routines)) {
      apply_routine(*entry.migration, entry.revision + 1, run, report);
    }
  }
  lock.release();
  report.total = since(start);
  return report;
}

void Migrator::Impl::apply_migration(const Migration& migration, std::int64_t run,
                                     RunReport& report) {
  const detail::Target target = target_of(migration);
  const auto start = Clock::now();
  started(target, 0);
  if (migration.up.in_transaction) {
    executor.run_transactional(migration.up, target,
                               history.insert_sql(migration, run, 0, "applied"));
  } else {
    // Recorded as running first: if this process dies part-way, the next run finds the row and
    // stops on it instead of running half a migration twice.
    (void)conn.exec(history.insert_sql(migration, run, 0, "running") + ";\n" +
                    executor.session_settings());
    const int count = static_cast<int>(detail::Executor::statements(migration.up).size());
    executor.run_statements(
        migration.up, target,
        [&](int done) {
          if (done < count)
            (void)conn.exec(history.progress_sql(target.version, done));
        },
        [&](int index, const SqlError& error) {
          (void)conn.exec(
              history.failed_sql(target.version, index, error.fields().statement, error.what()) +
              ";\n" + executor.session_reset());
        });
    (void)conn.exec(history.finished_sql(target.version) + ";\n" + executor.session_reset());
  }
  finished(target, 0, since(start), report);
}

void Migrator::Impl::apply_routine(const Migration& routine, int revision, std::int64_t run,
                                   RunReport& report) {
  const detail::Target target = target_of(routine);
  const auto start = Clock::now();
  started(target, revision);
  executor.run_transactional(routine.up, target,
                             history.insert_sql(routine, run, revision, "applied"));
  finished(target, revision, since(start), report);
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
  const auto add = [&](const PlanEntry& entry) {
    const Migration& migration = *entry.migration;
    if (entry.kind == MigrationKind::routine) {
      out.push_back(executor.transactional_text(
          migration.up, history.insert_sql(migration, run, entry.revision + 1, "applied")));
    } else if (migration.up.in_transaction) {
      out.push_back(executor.transactional_text(migration.up,
                                                history.insert_sql(migration, run, 0, "applied")));
    } else {
      out.push_back(history.insert_sql(migration, run, 0, "running") + ";\n" +
                    executor.session_settings());
      const auto statements = detail::Executor::statements(migration.up);
      for (std::size_t i = 0; i < statements.size(); ++i) {
        out.emplace_back(statements[i]);
        if (i + 1 < statements.size()) {
          out.push_back(history.progress_sql(migration.version, static_cast<int>(i) + 1));
        }
      }
      out.push_back(history.finished_sql(migration.version) + ";\n" + executor.session_reset());
    }
  };
  for (const PlanEntry& entry : plan.entries) {
    if (entry.kind == MigrationKind::migration && wanted(entry, std::nullopt, true))
      add(entry);
  }
  for (const PlanEntry& entry : plan.entries) {
    if (entry.kind == MigrationKind::routine && wanted(entry, std::nullopt, true))
      add(entry);
  }
  return out;
}

}  // namespace strata
