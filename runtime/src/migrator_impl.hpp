// The Migrator's private state and the operations shared by up, down and resolve.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <strata/migrator.hpp>

#include "executor.hpp"
#include "history.hpp"
#include "lock.hpp"
#include "pq/connection.hpp"

namespace strata {

class Migrator::Impl {
 public:
  Impl(pq::Connection connection, std::string redacted, const MigrationSet& set,
       MigratorOptions options, detail::HistoryTable table);

  // Rows of the history table, oldest first; empty when it does not exist.
  [[nodiscard]] std::vector<detail::HistoryRow> read();
  // Migrator::plan() of `rows`, read without the lock.
  [[nodiscard]] Plan plan_of(const std::vector<detail::HistoryRow>& rows);
  // The plan of `rows` (see detail::make_plan), after options.prepare completed every migration it
  // does not show as applied unchanged.
  [[nodiscard]] Plan prepared_plan(const std::vector<detail::HistoryRow>& rows,
                                   bool lock_held_elsewhere = false);
  void emit(const Event& event) const;
  // The lock for one operation: taken now, unless `held` holds it already.
  [[nodiscard]] detail::OperationLock lock_operation();

  // up(): pending migrations (those up to `to` when given), then changed routines.
  RunReport up(const std::optional<std::string>& to, bool with_routines);
  [[nodiscard]] std::vector<std::string> up_sql();
  // Rolls back the `steps` newest migrations, or those newer than `to`, or all of them (neither
  // given), and the routine revisions applied in later runs than the newest migration kept.
  // Throws ConfigurationError when `to` is neither in the set nor in the history (except "0").
  RunReport down(std::optional<std::size_t> steps, const std::optional<std::string>& to);
  void resolve(std::string_view version, Resolution how);
  AdoptReport adopt(const AdoptOptions& adopt_options);
  // Another tool's history table (with versions in it), when strata's history table does not
  // exist: a database nobody has adopted yet.
  [[nodiscard]] std::optional<ForeignHistory> foreign_history();
  // The same, once strata's table is known not to exist.
  [[nodiscard]] std::optional<ForeignHistory> foreign_history_without_strata();
  // Throws RefusedError(not_adopted) when strata's history table was not found
  // (`strata_history_found`, as History::exists() said) and another tool's has versions, unless
  // the set is empty.
  void refuse_unadopted(bool strata_history_found);

  pq::Connection conn;
  std::string redacted;
  // The set, decoded once: a plan's positions index these too (a compiled set decodes on access).
  // `set_view` is kept to read again the elements options.prepare completes.
  MigrationSet set_view;
  std::vector<Migration> migrations;
  MigratorOptions options;
  detail::History history;
  detail::Executor executor;
  detail::Target current;  // what is running, for notices
  // The lock while a Migrator::LockHold holds it for several operations.
  std::optional<detail::AdvisoryLock> held;

 private:
  // Sends detail::applying(entry, run), with its events and its step in `report`.
  void apply(const PlanEntry& entry, std::int64_t run, RunReport& report);
  // Sends `script` (a detail::rolling_back), with its events and its step in `report`. A
  // non-transactional down's SqlError says how many of its statements took effect.
  void roll_back(detail::SectionScript script, RunReport& report);
  void started(const detail::Target& target, int revision);
  void finished(const detail::Target& target, int revision, std::chrono::milliseconds duration,
                RunReport& report);
};

struct HistoryRead::Data {
  std::string table;  // HistoryTable::quoted()
  detail::HistorySnapshot snapshot;
};

}  // namespace strata
