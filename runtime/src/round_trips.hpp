// What applying or rolling back one section sends, decided in one place.
//
// applying() and rolling_back() list the round trips of a section, history writes included; the
// Executor sends that list (Executor::run) and up_sql() prints it, so `strata plan` shows what up
// sends by construction. Only the history write after a failure is left to the moment it happens:
// it names the error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <strata/migrator.hpp>

namespace strata::detail {

class Executor;
class History;
struct HistoryRow;

// What a section belongs to, for messages.
struct Target {
  MigrationKind kind = MigrationKind::migration;
  std::string version;
  std::string name;
  bool rollback = false;  // running its down section
};

// One round trip, exactly as sent.
struct RoundTrip {
  enum class Kind : std::uint8_t {
    write,        // history bookkeeping and session settings, outside the section's SQL
    transaction,  // BEGIN; [SET LOCAL ...;] the whole section; its history write; COMMIT
    statement,    // one statement of a non-transactional section, alone
  };
  Kind kind = Kind::write;
  std::string sql;
  // transaction: the section's SQL starts at byte `section_begin` of `sql`, after
  // `statements_before` statements (BEGIN and the SET LOCALs). Error positions are mapped past
  // them.
  std::size_t section_begin = 0;
  std::size_t statements_before = 0;
  // statement: which statement of the section `sql` is.
  std::size_t statement = 0;
};

// Every round trip of one section, in order, and what to record when one of its statements fails.
struct SectionScript {
  Section section;
  Target target;
  int revision = 0;  // routines: the revision applied or rolled back
  std::vector<RoundTrip> round_trips;
  // Non-transactional sections: the history write after a failure that left `done` statements in
  // effect (a transactional section's failure leaves no trace to record).
  std::function<std::string(int done, const SqlError& error)> failure_sql;
};

// Applying `migration`, the embedded element of `entry` (a pending migration, or a routine's next
// revision), in run `run`: one transaction, or for a `transaction:false` migration a `running`
// row with the session settings, each statement with its progress between them, then the row
// marked applied and the settings reset.
[[nodiscard]] SectionScript applying(const PlanEntry& entry, const Migration& migration,
                                     std::int64_t run, const History& history,
                                     const Executor& executor);

// Rolling back `row` with its stored down `section`: one transaction that also deletes the row,
// or statement by statement, recorded as a rollback under way the way an up is recorded.
[[nodiscard]] SectionScript rolling_back(const HistoryRow& row, const Section& section,
                                         const History& history, const Executor& executor);

}  // namespace strata::detail
