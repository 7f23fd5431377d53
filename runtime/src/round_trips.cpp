// The round trips of applying and rolling back a section (see round_trips.hpp).
#include "round_trips.hpp"

#include "executor.hpp"
#include "history.hpp"

namespace strata::detail {
namespace {

// A non-transactional section: `opening`, then each statement alone with `progress(done)` between
// two of them, then `closing`. Recorded as under way first: if the process dies part-way, the next
// run finds the row and stops on it instead of running half a section twice.
void one_by_one(SectionScript& script, std::string opening,
                const std::function<std::string(int done)>& progress, std::string closing) {
  script.round_trips.push_back({RoundTrip::Kind::write, std::move(opening)});
  const std::vector<std::string_view> statements = Executor::statements(script.section);
  for (std::size_t i = 0; i < statements.size(); ++i) {
    RoundTrip statement{RoundTrip::Kind::statement, std::string{statements[i]}};
    statement.statement = i;
    script.round_trips.push_back(std::move(statement));
    if (i + 1 < statements.size())
      script.round_trips.push_back({RoundTrip::Kind::write, progress(static_cast<int>(i) + 1)});
  }
  script.round_trips.push_back({RoundTrip::Kind::write, std::move(closing)});
}

}  // namespace

SectionScript applying(const PlanEntry& entry, const Migration& migration, std::int64_t run,
                       const History& history, const Executor& executor) {
  const bool routine = migration.kind == MigrationKind::routine;
  SectionScript script{
      migration.up,
      {migration.kind, std::string{migration.version}, std::string{migration.name}},
      routine ? entry.revision + 1 : 0,
      {},
      {}};
  if (routine || migration.up.in_transaction) {
    script.round_trips.push_back(executor.transaction(
        migration.up, history.insert_sql(migration, run, script.revision, "applied")));
    return script;
  }
  const std::string& version = script.target.version;
  one_by_one(
      script,
      history.insert_sql(migration, run, 0, "running") + ";\n" + executor.session_settings(),
      [&](int done) { return history.progress_sql(version, done); },
      history.finished_sql(version) + ";\n" + executor.session_reset());
  script.failure_sql = [&history, &executor, version](int done, const SqlError& error) {
    return history.failed_sql(version, done, error.fields().statement, error.what()) + ";\n" +
           executor.session_reset();
  };
  return script;
}

SectionScript rolling_back(const HistoryRow& row, const Section& section, const History& history,
                           const Executor& executor) {
  SectionScript script{section, {row.kind, row.version, row.name, true}, row.revision, {}, {}};
  if (section.in_transaction) {
    script.round_trips.push_back(executor.transaction(section, history.delete_sql(row.id)));
    return script;
  }
  one_by_one(
      script, history.rollback_started_sql(row.id) + ";\n" + executor.session_settings(),
      [&](int done) { return history.progress_sql(row.version, done); },
      history.delete_sql(row.id) + ";\n" + executor.session_reset());
  script.failure_sql = [&history, &executor, id = row.id, version = row.version](
                           int done, const SqlError& error) {
    // Nothing took effect: the migration is still applied, as it was.
    return (done == 0 ? history.resolved_sql(id)
                      : history.failed_sql(version, done, error.fields().statement,
                                           std::string{rollback_marker} + error.what())) +
           ";\n" + executor.session_reset();
  };
  return script;
}

}  // namespace strata::detail
