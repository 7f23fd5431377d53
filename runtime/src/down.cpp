// down() and resolve(): rolling back from the down SQL stored in the history table.
//
// The SQL comes from the database, not the binary, so a binary that no longer contains a
// migration (a rolled-back deployment, another branch) can still undo it. Routine revisions go
// with the migrations: every revision applied in a later run than the newest migration kept is
// undone, newest first, restoring the body the older deployment expects.
#include <algorithm>
#include <chrono>
#include <compare>
#include <map>

#include <strata/version_order.hpp>

#include "lock.hpp"
#include "migrator_impl.hpp"
#include "plan.hpp"
#include "round_trips.hpp"

namespace strata {
namespace {

using Clock = std::chrono::steady_clock;

std::string describe(const detail::HistoryRow& row) {
  if (row.kind == MigrationKind::routine) {
    return "routine " + row.name + "@" + std::to_string(row.revision);
  }
  return row.version + " (" + row.name + ")";
}

// What `down --to version` keeps: `version` itself when a migration of the set or the history
// has it; nothing (everything is rolled back) for "0" without such a migration. Anything else is
// a mistake, most likely a typo, and must not roll back everything: ConfigurationError.
std::optional<std::string> kept_version(std::string_view version, const std::vector<Migration>& set,
                                        const std::vector<detail::HistoryRow>& rows) {
  const auto same = [&](std::string_view other) {
    return std::is_eq(compare_versions(other, version));
  };
  const bool in_set = std::any_of(set.begin(), set.end(), [&](const Migration& migration) {
    return migration.kind == MigrationKind::migration && same(migration.version);
  });
  const bool in_history = std::any_of(rows.begin(), rows.end(), [&](const auto& row) {
    return row.kind == MigrationKind::migration && same(row.version);
  });
  if (in_set || in_history)
    return std::string{version};
  if (same("0"))
    return std::nullopt;
  throw ConfigurationError("down --to " + std::string{version} +
                           ": no migration with that version in this set or in the history "
                           "table; nothing was rolled back (to roll back everything: --all / "
                           "Migrator::down_all)");
}

}  // namespace

RunReport Migrator::Impl::down(std::optional<std::size_t> steps,
                               const std::optional<std::string>& to) {
  const auto start = Clock::now();
  RunReport report;
  detail::OperationLock lock = lock_operation();
  const std::vector<detail::HistoryRow> rows = read();
  const std::optional<std::string> keep =
      to ? kept_version(*to, migrations, rows) : std::optional<std::string>{};
  if (rows.empty()) {
    lock.release();
    return report;
  }
  detail::refuse_failed(detail::make_plan(migrations, rows));

  std::vector<const detail::HistoryRow*> migrations;
  for (const detail::HistoryRow& row : rows) {
    if (row.kind == MigrationKind::migration)
      migrations.push_back(&row);
  }
  std::sort(migrations.begin(), migrations.end(), [](const auto* a, const auto* b) {
    return std::is_gt(compare_versions(a->version, b->version));
  });
  std::size_t undone = 0;
  if (steps) {
    undone = std::min(*steps, migrations.size());
  } else if (keep) {
    while (undone < migrations.size() &&
           std::is_gt(compare_versions(migrations[undone]->version, *keep))) {
      ++undone;
    }
  } else {
    undone = migrations.size();
  }
  const std::int64_t kept_run = undone < migrations.size() ? migrations[undone]->run : 0;
  if (steps && undone == 0) {
    lock.release();
    return report;
  }
  std::vector<const detail::HistoryRow*> targets(
      migrations.begin(), migrations.begin() + static_cast<std::ptrdiff_t>(undone));
  for (const detail::HistoryRow& row : rows) {
    if (row.kind == MigrationKind::routine && row.run > kept_run)
      targets.push_back(&row);
  }
  // Newest first, in the order they were applied: an out-of-order migration is undone where it
  // ran, and a routine revision before the migration it followed.
  std::sort(targets.begin(), targets.end(),
            [](const auto* a, const auto* b) { return a->id > b->id; });

  std::vector<std::string> no_down;
  std::string names;
  std::vector<std::int64_t> ids;
  for (const detail::HistoryRow* row : targets) {
    ids.push_back(row->id);
    if (row->has_down)
      continue;
    no_down.push_back(row->kind == MigrationKind::routine ? row->name : row->version);
    names += (names.empty() ? "" : ", ") + describe(*row);
  }
  if (!no_down.empty()) {
    throw RefusedError("cannot roll back " + names +
                           ": no down SQL was stored when it was applied; nothing was rolled back "
                           "(write a migration that undoes it instead)",
                       Refusal::no_down, no_down);
  }
  std::map<std::int64_t, detail::StoredDown> downs;
  for (detail::StoredDown& down : history.stored_downs(ids))
    downs[down.id] = std::move(down);

  for (const detail::HistoryRow* row : targets) {
    const detail::StoredDown& down = downs.at(row->id);
    const Section section{down.sql, std::span{down.statements}, down.path, down.first_line,
                          down.in_transaction};
    roll_back(detail::rolling_back(*row, section, history, executor), report);
  }
  lock.release();
  report.total = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return report;
}

void Migrator::Impl::roll_back(detail::SectionScript script, RunReport& report) {
  const auto start = Clock::now();
  started(script.target, script.revision);
  // How many statements of a non-transactional down took effect before one of them failed, for
  // the message: the history write after that failure is told, so it tells this too.
  std::optional<int> undone;
  const bool statement_by_statement = static_cast<bool>(script.failure_sql);
  if (statement_by_statement) {
    script.failure_sql = [&undone, record = std::move(script.failure_sql)](int done,
                                                                           const SqlError& error) {
      undone = done;
      return record(done, error);
    };
  }
  try {
    executor.run(script);
  } catch (const SqlError& error) {
    // A transactional down leaves no trace, and a history write that failed took no statement
    // with it: their errors say all there is. A statement that failed along with the connection
    // could not be recorded: none is counted as undone.
    if (!statement_by_statement || (!undone && conn.usable()))
      throw;
    const std::size_t count = detail::Executor::statements(script.section).size();
    throw SqlError(std::string{error.what()} +
                       (undone.value_or(0) == 0
                            ? "; nothing was rolled back: the migration is still applied"
                            : "; " + std::to_string(*undone) + " of " + std::to_string(count) +
                                  " statements of the down took effect: the rollback is "
                                  "recorded as stopped part-way (see status, then resolve)"),
                   error.fields());
  }
  finished(script.target, script.revision,
           std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start), report);
}

void Migrator::Impl::resolve(std::string_view version, Resolution how) {
  detail::OperationLock lock = lock_operation();
  const std::vector<detail::HistoryRow> rows = read();
  const auto found = std::find_if(rows.begin(), rows.end(), [&](const detail::HistoryRow& row) {
    return row.kind == MigrationKind::migration &&
           std::is_eq(compare_versions(row.version, version)) && row.state != RowState::applied;
  });
  if (found == rows.end()) {
    throw ConfigurationError("resolve " + std::string{version} +
                             ": no failed migration or rollback with that version in the history "
                             "table");
  }
  // forget and mark_rolled_back both remove the row: the migration is not in effect.
  (void)conn.exec(how == Resolution::mark_applied ? history.resolved_sql(found->id)
                                                  : history.delete_sql(found->id));
  lock.release();
}

}  // namespace strata
