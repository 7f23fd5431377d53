// Plan construction and the refusal rules (drift, unknown, out of order, failed).
#include "plan.hpp"

#include <algorithm>
#include <compare>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include <strata/version_order.hpp>

#include "text.hpp"

namespace strata::detail {
namespace {

void fill_applied(PlanEntry& entry, const HistoryRow& row, bool lock_held_elsewhere) {
  entry.applied_checksum = row.checksum;
  entry.applied_at = row.applied_at;
  entry.applied_by = row.applied_by;
  entry.execution_ms = row.execution_ms;
  entry.adopted_from = row.adopted_from;
  if (row.state == RowState::applied)
    return;
  entry.rollback = row.rollback;
  entry.statements_done = row.statements_done;
  if (row.state == RowState::failed) {
    entry.state = MigrationState::failed;
    entry.failed_statement = row.failed_statement;
  } else if (lock_held_elsewhere) {
    entry.state = MigrationState::running;
  } else {
    // Nobody holds the lock, so the process that wrote `running` is gone: it stopped after
    // `statements_done` statements.
    entry.state = MigrationState::failed;
    entry.failed_statement = "interrupted after statement " + std::to_string(row.statements_done) +
                             " (the migrating process ended)";
  }
}

std::string count_of(int n, std::string_view what) {
  return std::to_string(n) + " " + std::string{what} + (n == 1 ? "" : "s");
}

std::string describe(const PlanEntry& entry) {
  return entry.version.empty() ? entry.name : entry.version + " (" + entry.name + ")";
}

std::string list(const std::vector<const PlanEntry*>& entries) {
  std::string out;
  for (const PlanEntry* entry : entries)
    out += (out.empty() ? "" : ", ") + describe(*entry);
  return out;
}

std::vector<std::string> versions(const std::vector<const PlanEntry*>& entries) {
  std::vector<std::string> out;
  out.reserve(entries.size());
  for (const PlanEntry* entry : entries)
    out.push_back(entry->version);
  return out;
}

}  // namespace

Plan make_plan(std::span<const Migration> set, const std::vector<HistoryRow>& rows,
               bool lock_held_elsewhere) {
  // Versions are matched by their exact text first (a hash lookup): compare_versions is only
  // needed for what is left, e.g. "0002" in the history against "2" in the set, and to find the
  // newest applied version when something is pending. A no-op start stays cheap at 1,000 rows.
  std::unordered_map<std::string_view, const HistoryRow*> exact;
  std::map<std::string, const HistoryRow*> routines;  // newest revision per name
  for (const HistoryRow& row : rows) {
    if (row.kind == MigrationKind::migration) {
      exact.emplace(row.version, &row);
    } else {
      const HistoryRow*& current = routines[row.name];
      if (current == nullptr || row.revision > current->revision)
        current = &row;
    }
  }
  std::vector<const Migration*> unmatched_set;
  std::unordered_map<const Migration*, const HistoryRow*> matched;
  std::size_t set_migrations = 0;
  for (const Migration& migration : set) {
    if (migration.kind != MigrationKind::migration)
      continue;
    ++set_migrations;
    const auto found = exact.find(migration.version);
    if (found == exact.end()) {
      unmatched_set.push_back(&migration);
    } else {
      matched.emplace(&migration, found->second);
      exact.erase(found);
    }
  }
  std::vector<const HistoryRow*> leftover;
  leftover.reserve(exact.size());
  for (const auto& [version, row] : exact)
    leftover.push_back(row);
  const auto by_version = [](const HistoryRow* a, const HistoryRow* b) {
    return std::is_lt(compare_versions(a->version, b->version));
  };
  std::sort(leftover.begin(), leftover.end(), by_version);
  for (const Migration* migration : unmatched_set) {
    const auto at = std::lower_bound(leftover.begin(), leftover.end(), migration->version,
                                     [](const HistoryRow* row, std::string_view v) {
                                       return std::is_lt(compare_versions(row->version, v));
                                     });
    if (at != leftover.end() && std::is_eq(compare_versions((*at)->version, migration->version))) {
      matched.emplace(migration, *at);
      leftover.erase(at);
    }
  }
  // The newest migration this binary has: an unknown applied version after it is `ahead`.
  std::string_view newest_known;
  for (const Migration& migration : set) {
    if (migration.kind == MigrationKind::migration &&
        (newest_known.empty() || std::is_gt(compare_versions(migration.version, newest_known)))) {
      newest_known = migration.version;
    }
  }
  std::string newest;
  if (matched.size() < set_migrations) {  // something is pending: is it older than the newest?
    for (const HistoryRow& row : rows) {
      if (row.kind == MigrationKind::migration &&
          (newest.empty() || std::is_gt(compare_versions(row.version, newest)))) {
        newest = row.version;
      }
    }
  }

  Plan plan;
  std::vector<PlanEntry> routine_entries;
  for (const Migration& migration : set) {
    PlanEntry entry;
    entry.kind = migration.kind;
    entry.version = std::string{migration.version};
    entry.name = std::string{migration.name};
    entry.checksum = std::string{migration.checksum};
    entry.position = static_cast<std::size_t>(&migration - set.data());
    if (migration.kind == MigrationKind::routine) {
      const auto found = routines.find(entry.name);
      if (found == routines.end()) {
        entry.state = MigrationState::pending;
      } else {
        entry.revision = found->second->revision;
        entry.state = found->second->checksum == entry.checksum ? MigrationState::applied
                                                                : MigrationState::outdated;
        fill_applied(entry, *found->second, lock_held_elsewhere);
        if (entry.state == MigrationState::failed)
          entry.state = MigrationState::outdated;
        routines.erase(found);
      }
      routine_entries.push_back(std::move(entry));
      continue;
    }
    const auto found = matched.find(&migration);
    if (found == matched.end()) {
      const bool older = !newest.empty() && std::is_lt(compare_versions(entry.version, newest));
      entry.state = older ? MigrationState::out_of_order : MigrationState::pending;
    } else {
      entry.state = found->second->checksum == entry.checksum ? MigrationState::applied
                                                              : MigrationState::drifted;
      fill_applied(entry, *found->second, lock_held_elsewhere);
    }
    plan.entries.push_back(std::move(entry));
  }
  for (const HistoryRow* row : leftover) {
    PlanEntry entry;
    const bool ahead =
        !newest_known.empty() && std::is_gt(compare_versions(row->version, newest_known));
    entry.state = ahead ? MigrationState::ahead : MigrationState::unknown;
    entry.version = row->version;
    entry.name = row->name;
    fill_applied(entry, *row, lock_held_elsewhere);
    plan.entries.push_back(std::move(entry));
  }
  for (const auto& [name, row] : routines) {
    PlanEntry entry;
    entry.kind = MigrationKind::routine;
    entry.state = MigrationState::unknown;
    entry.name = name;
    entry.revision = row->revision;
    fill_applied(entry, *row, lock_held_elsewhere);
    entry.state = MigrationState::unknown;
    routine_entries.push_back(std::move(entry));
  }
  std::stable_sort(routine_entries.begin(), routine_entries.end(),
                   [](const PlanEntry& a, const PlanEntry& b) { return a.name < b.name; });
  for (PlanEntry& entry : routine_entries)
    plan.entries.push_back(std::move(entry));
  return plan;
}

void refuse_failed(const Plan& plan) {
  std::vector<const PlanEntry*> failed;
  for (const PlanEntry& entry : plan.entries) {
    if (entry.kind == MigrationKind::migration && entry.state == MigrationState::failed &&
        (failed.empty() || entry.rollback == failed.front()->rollback)) {
      failed.push_back(&entry);
    }
  }
  if (failed.empty())
    return;
  const PlanEntry& first = *failed.front();
  const std::string where = first.failed_statement.starts_with("interrupted")
                                ? first.failed_statement
                                : "at: " + on_one_line(first.failed_statement) + " (" +
                                      count_of(first.statements_done, "statement") +
                                      (first.rollback ? " of its down" : "") +
                                      " took effect before it)";
  if (first.rollback) {
    throw RefusedError("the rollback of migration " + list(failed) + " stopped part-way, " + where +
                           "; finish or undo the rollback by hand, then resolve it: mark it "
                           "rolled back (the down is complete) or mark it applied (what the down "
                           "undid is back)",
                       Refusal::failed_rollback, versions(failed));
  }
  throw RefusedError("migration " + list(failed) + " failed part-way, " + where +
                         "; fix the database by hand, then resolve it: mark it applied (it is in "
                         "effect) or forget it (the next up runs it again)",
                     Refusal::failed, versions(failed));
}

void check_refusals(const Plan& plan, const MigratorOptions& options) {
  refuse_failed(plan);
  std::vector<const PlanEntry*> drifted;
  std::vector<const PlanEntry*> unknown;
  std::vector<const PlanEntry*> out_of_order;
  std::vector<const PlanEntry*> ahead;
  for (const PlanEntry& entry : plan.entries) {
    if (entry.kind == MigrationKind::routine)
      continue;
    switch (entry.state) {
      case MigrationState::drifted:
        drifted.push_back(&entry);
        break;
      case MigrationState::unknown:
        unknown.push_back(&entry);
        break;
      case MigrationState::ahead:
        ahead.push_back(&entry);
        break;
      case MigrationState::out_of_order:
        out_of_order.push_back(&entry);
        break;
      default:
        break;
    }
  }
  if (!drifted.empty() && !options.allow_drift) {
    throw RefusedError("drift: applied migration " + list(drifted) +
                           " differs from the embedded one (checksum changed since it was "
                           "applied); write a new migration instead, or allow drift "
                           "(--allow-drift / MigratorOptions::allow_drift)",
                       Refusal::drift, versions(drifted));
  }
  if (options.refuse_future)
    unknown.insert(unknown.end(), ahead.begin(), ahead.end());
  if (!unknown.empty() && !options.allow_unknown) {
    throw RefusedError("the database has applied migration " + list(unknown) +
                           " that this binary does not know (is it older than the database?); "
                           "deploy the newer binary, roll them back with down, or allow it "
                           "(--allow-unknown / MigratorOptions::allow_unknown)",
                       Refusal::unknown, versions(unknown));
  }
  if (!out_of_order.empty() && !options.allow_out_of_order) {
    throw RefusedError("out of order: pending migration " + list(out_of_order) +
                           " is older than the newest applied one; allow it "
                           "(--allow-out-of-order / MigratorOptions::allow_out_of_order) or give "
                           "it a newer version",
                       Refusal::out_of_order, versions(out_of_order));
  }
}

std::vector<std::string> ahead_versions(const Plan& plan, const MigratorOptions& options) {
  std::vector<std::string> out;
  if (options.allow_unknown)
    return out;
  for (const PlanEntry& entry : plan.entries) {
    if (entry.state == MigrationState::ahead)
      out.push_back(entry.version);
  }
  return out;
}

bool is_settled(const Plan& plan, bool with_routines, const MigratorOptions& options) noexcept {
  // Ahead of this binary, up() applies nothing, routines included; everything else must still
  // pass the refusals.
  const bool ahead = !options.allow_unknown &&
                     std::any_of(plan.entries.begin(), plan.entries.end(), [](const auto& entry) {
                       return entry.state == MigrationState::ahead;
                     });
  if (ahead && options.refuse_future)
    return false;
  return std::all_of(plan.entries.begin(), plan.entries.end(), [&](const PlanEntry& entry) {
    if (entry.kind == MigrationKind::routine) {
      return ahead || !with_routines || entry.state == MigrationState::applied ||
             entry.state == MigrationState::unknown;
    }
    return entry.state == MigrationState::applied ||
           (entry.state == MigrationState::ahead && (ahead || options.allow_unknown)) ||
           (entry.state == MigrationState::unknown && options.allow_unknown) ||
           (entry.state == MigrationState::drifted && options.allow_drift);
  });
}

}  // namespace strata::detail

namespace strata {

std::size_t Plan::count(MigrationState state) const noexcept {
  return static_cast<std::size_t>(
      std::count_if(entries.begin(), entries.end(),
                    [state](const PlanEntry& entry) { return entry.state == state; }));
}

bool Plan::has_pending() const noexcept {
  return std::any_of(entries.begin(), entries.end(), [](const PlanEntry& entry) {
    return entry.state == MigrationState::pending || entry.state == MigrationState::out_of_order ||
           entry.state == MigrationState::outdated;
  });
}

}  // namespace strata
