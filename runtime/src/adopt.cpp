// adopt(): taking over a database another tool migrated, and noticing one that was not taken over.
//
// Everything is decided before anything is written: the foreign table is read, every refusal is
// checked, then the rows go in as one transaction under the migration lock. The foreign table is
// never written: migrations sometimes read or edit it, and a team may need to switch back.
#include <algorithm>
#include <compare>
#include <set>

#include <strata/version_order.hpp>

#include "foreign.hpp"
#include "lock.hpp"
#include "migrator_impl.hpp"

namespace strata {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string describe(const ForeignHistory& history) {
  return std::string{tool_name(history.tool)} + " (" + history.table + ")";
}

// The one foreign table adopt() reads. Throws ConfigurationError when there is none or several.
ForeignHistory choose(std::vector<ForeignHistory> found, const AdoptOptions& options) {
  if (found.empty()) {
    throw ConfigurationError(
        options.from ? "no " + std::string{tool_name(*options.from)} + " history table (" +
                           std::string{default_table(*options.from)} +
                           ") in this database; name it with --table NAME"
                     : std::string{"no other tool's history table in this database; name the "
                                   "tool with --from TOOL (and --table NAME), or record a "
                                   "database migrated by hand with --baseline VERSION"});
  }
  if (found.size() > 1) {
    std::string names;
    for (const ForeignHistory& history : found)
      names += (names.empty() ? "" : ", ") + describe(history);
    throw ConfigurationError("this database holds several history tables: " + names +
                             "; say which one to adopt with --from TOOL");
  }
  return std::move(found.front());
}

// The routines of the set that Flyway's repeatable migrations put in effect: an `R__name.sql`
// routine whose text has the checksum of Flyway's newest run of that script. A repeatable with no
// routine here, or whose file changed since, is left out with a note: Flyway itself would run a
// changed one again, and the next `up` does.
std::vector<const Migration*> adopted_repeatables(const std::vector<Migration>& migrations,
                                                  const detail::ForeignState& state,
                                                  AdoptReport& report) {
  std::vector<const Migration*> routines;
  for (const auto& repeatable : state.repeatables) {
    const auto& [name, checksum] = repeatable;
    // The lambda names the member: clang 14 cannot capture a structured binding.
    const auto routine =
        std::find_if(migrations.begin(), migrations.end(), [&repeatable](const Migration& m) {
          return m.kind == MigrationKind::routine && m.name == repeatable.first;
        });
    if (routine == migrations.end()) {
      report.notes.push_back("Flyway's repeatable migration " + name +
                             ".sql has no routine file here: ignored");
    } else if (std::to_string(detail::flyway_checksum(routine->up.sql)) != checksum) {
      report.notes.push_back(std::string{routine->up.path} +
                             " changed since Flyway last ran it: not recorded, the next up "
                             "applies it (as Flyway would)");
    } else {
      routines.push_back(&*routine);
    }
  }
  return routines;
}

}  // namespace

std::optional<ForeignHistory> Migrator::Impl::foreign_history() {
  return history.exists() ? std::nullopt : foreign_history_without_strata();
}

std::optional<ForeignHistory> Migrator::Impl::foreign_history_without_strata() {
  std::vector<ForeignHistory> found = detail::find_foreign_tables(conn, std::nullopt, {});
  const auto applied = std::find_if(found.begin(), found.end(),
                                    [](const ForeignHistory& h) { return h.versions > 0; });
  if (applied == found.end())
    return std::nullopt;
  return *applied;
}

void Migrator::Impl::refuse_unadopted(bool strata_history_found) {
  // Once strata's history table exists strata is in charge, even when a rollback emptied it.
  if (migrations.empty() || strata_history_found)
    return;
  if (const std::optional<ForeignHistory> foreign = foreign_history_without_strata()) {
    throw RefusedError(
        "this database was migrated by " + std::string{tool_name(foreign->tool)} + " (" +
            foreign->table + ", " + std::to_string(foreign->versions) + " version" +
            (foreign->versions == 1 ? "" : "s") +
            ") and strata has no history here yet: take it over with `adopt --from " +
            std::string{tool_name(foreign->tool)} + "` before running migrations",
        Refusal::not_adopted, {});
  }
}

AdoptReport Migrator::Impl::adopt(const AdoptOptions& adopt_options) {
  std::optional<std::size_t> baseline_index;
  if (adopt_options.baseline) {
    for (std::size_t i = 0; i < migrations.size(); ++i) {
      if (migrations[i].kind == MigrationKind::migration &&
          std::is_eq(compare_versions(migrations[i].version, *adopt_options.baseline)))
        baseline_index = i;
    }
    if (!baseline_index) {
      throw ConfigurationError("--baseline " + *adopt_options.baseline +
                               ": no migration with that version in this set");
    }
  }
  detail::OperationLock lock = lock_operation();
  std::vector<detail::HistoryRow> rows = read();
  if (!rows.empty() && !adopt_options.force) {
    throw RefusedError("strata's history table " + history.table().quoted() + " already has " +
                           std::to_string(rows.size()) + (rows.size() == 1 ? " row" : " rows") +
                           ": adopt is for the first switch to strata. If those rows are "
                           "from an earlier, partial adoption, give --force to record only the "
                           "versions they lack",
                       Refusal::adopt, {});
  }

  AdoptReport report;
  std::string adopted_from = "baseline";
  std::vector<const Migration*> chosen;
  std::vector<const Migration*> routines;  // Flyway repeatables, recorded as revision 1
  if (baseline_index) {
    report.source = "baseline " + *adopt_options.baseline;
    for (std::size_t i = 0; i <= *baseline_index; ++i) {
      if (migrations[i].kind == MigrationKind::migration)
        chosen.push_back(&migrations[i]);
    }
  } else {
    const ForeignHistory foreign = choose(
        detail::find_foreign_tables(conn, adopt_options.from, adopt_options.table), adopt_options);
    const ForeignTool tool = foreign.tool;
    adopted_from = tool_name(tool);
    report.source = describe(foreign);
    const detail::ForeignState state = detail::read_foreign(conn, foreign);
    if (!state.unfinished.empty()) {
      throw RefusedError(
          report.source + " records migration " + joined(state.unfinished) + " as unfinished (" +
              (tool == ForeignTool::golang_migrate ? "dirty" : "success = false") +
              "): its run failed part-way. Fix the database by hand and settle it with " +
              std::string{tool_name(tool)} + " first (" +
              (tool == ForeignTool::golang_migrate ? "migrate force VERSION"
               : tool == ForeignTool::flyway       ? "flyway repair"
                                                   : "delete the failed row") +
              "), then adopt",
          Refusal::adopt, state.unfinished);
    }
    std::set<std::string> unmatched = state.applied;
    std::vector<std::string> drifted;
    for (const Migration& migration : migrations) {
      const std::optional<std::string> version = detail::foreign_version(tool, migration);
      if (!version)
        continue;
      const bool applied = state.applied.count(*version) != 0 ||
                           (state.ceiling && detail::at_or_below(tool, *version, *state.ceiling));
      if (!applied)
        continue;
      unmatched.erase(*version);
      if (const auto recorded = state.checksums.find(*version);
          recorded != state.checksums.end() &&
          detail::foreign_checksum(conn, tool, migration) != recorded->second) {
        drifted.push_back(std::string{migration.up.path});
      }
      chosen.push_back(&migration);
    }
    if (tool == ForeignTool::golang_migrate)  // versions below its one row may be gaps
      std::erase_if(unmatched, [&](const std::string& v) { return v != state.ceiling; });
    if (!unmatched.empty()) {
      const std::vector<std::string> versions(unmatched.begin(), unmatched.end());
      throw RefusedError(report.source + " records version " + joined(versions) +
                             " as applied, but no migration file here has that version: restore "
                             "the file(s) to the migrations folder (or check -d DIR), then adopt",
                         Refusal::adopt, versions);
    }
    if (!drifted.empty()) {
      throw RefusedError("file " + joined(drifted) + " changed since " +
                             std::string{tool_name(tool)} +
                             " applied it (its checksum differs from the one in " + foreign.table +
                             "): restore the applied text, or adopt with the tool's checksum "
                             "repaired first",
                         Refusal::adopt, drifted);
    }
    routines = adopted_repeatables(migrations, state, report);
  }
  // The rows store each down's statements: complete the elements of a set checked on demand.
  if (options.prepare) {
    std::vector<std::size_t> positions;
    for (const std::vector<const Migration*>* list : {&chosen, &routines}) {
      for (const Migration* migration : *list)
        positions.push_back(static_cast<std::size_t>(migration - migrations.data()));
    }
    std::sort(positions.begin(), positions.end());
    if (!positions.empty())
      options.prepare(positions);
    for (const std::size_t position : positions)
      migrations[position] = set_view[position];  // in place: `chosen` points at these
  }

  std::int64_t run = 1;
  for (const detail::HistoryRow& row : rows)
    run = std::max(run, row.run + 1);
  if (!chosen.empty() || !routines.empty())
    history.create_or_upgrade(history.exists());  // before the INSERTs: they name its columns
  std::string sql;
  for (const Migration* migration : chosen) {
    const bool recorded = std::any_of(rows.begin(), rows.end(), [&](const detail::HistoryRow& row) {
      return row.kind == MigrationKind::migration &&
             std::is_eq(compare_versions(row.version, migration->version));
    });
    if (recorded) {
      ++report.already_recorded;
      continue;
    }
    sql += history.insert_sql(*migration, run, 0, "applied", adopted_from) + ";\n";
    report.versions.emplace_back(migration->version);
  }
  for (const Migration* routine : routines) {
    const bool recorded = std::any_of(rows.begin(), rows.end(), [&](const detail::HistoryRow& row) {
      return row.kind == MigrationKind::routine && row.name == routine->name;
    });
    if (recorded) {
      ++report.already_recorded;
      continue;
    }
    sql += history.insert_sql(*routine, run, 1, "applied", adopted_from) + ";\n";
    report.routines.emplace_back(routine->name);
  }
  if (!sql.empty()) {
    try {
      (void)conn.exec("BEGIN;\n" + sql + "COMMIT;");
    } catch (const SqlError&) {
      (void)conn.exec_script("ROLLBACK");  // leave the session usable; nothing was recorded
      throw;
    }
  }
  lock.release();
  return report;
}

}  // namespace strata
