// strata::Migrator — applies, rolls back and verifies a MigrationSet against PostgreSQL.
//
//   strata::Migrator migrator{conninfo, app_db::migrations(), options};
//   strata::Plan plan = migrator.plan();  // applied, pending, drifted, unknown, out of order
//   migrator.up();                         // or up(to), down(steps), down_to(version), verify()
//
// Every operation that changes the database first takes a session advisory lock keyed on the
// history table's qualified name (polling pg_try_advisory_lock until `lock_timeout`), and releases
// it on every exit path. Each transactional migration is sent as one round trip,
// `BEGIN; <up>; <history insert>; COMMIT`, so a failure leaves no trace of it. No libpq type
// appears here; the implementation lives in runtime/src.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <strata/adopt.hpp>
#include <strata/error.hpp>
#include <strata/migration_set.hpp>

struct pg_conn;  // libpq's PGconn

namespace strata {

// Something the migrator reports while it works, for a progress display.
struct Event {
  enum class Type : std::uint8_t {
    lock_waiting,  // another session holds the lock; `message` says who (pid, app, since)
    lock_acquired,
    migration_started,   // `version`, `name`, `kind` set
    migration_finished,  // plus `duration`
    notice,              // a server notice (RAISE NOTICE ...): `message`, `severity`
  };
  Type type = Type::notice;
  MigrationKind kind = MigrationKind::migration;
  std::string version;
  std::string name;
  std::string message;
  std::string severity;
  std::chrono::milliseconds duration{0};
  int revision = 0;  // routines: the revision being applied or rolled back
};

// The defaults of MigratorOptions, also the command line's.
inline constexpr std::string_view default_history_table = "strata_migrations";
inline constexpr std::chrono::seconds default_lock_timeout{60};

struct MigratorOptions {
  // History table, optionally schema-qualified ("migration.history"); created on first use.
  std::string history_table{default_history_table};
  // How long to wait for another migrating process before throwing LockTimeoutError.
  std::chrono::milliseconds lock_timeout{default_lock_timeout};
  // Per migration, as SET LOCAL (transactional migrations) or SET (others); unset = server default.
  std::optional<std::chrono::milliseconds> statement_lock_timeout;
  std::optional<std::chrono::milliseconds> statement_timeout;
  // Overrides for the refusals (see RefusedError).
  bool allow_drift = false;
  bool allow_unknown = false;
  bool allow_out_of_order = false;
  // Applied versions newer than every embedded migration mean a newer release migrated the
  // database (a rolling deploy, an app rollback): by default up() then applies nothing and says
  // so (RunReport::ahead), and verify() passes. With refuse_future they are refused like any
  // unknown version (RefusedError unknown). allow_unknown allows both kinds.
  bool refuse_future = false;
  // application_name of the migrating session, shown to whoever waits for the lock.
  std::string application_name = "strata";
  // Receives progress events and server notices. May be empty.
  std::function<void(const Event&)> on_event;
  // For a set whose elements are completed on demand (the `strata` tool checks the SQL of a
  // folder read at run time only where it must): called before a plan is returned or acted on,
  // with the positions in the set of every migration and routine that is not applied unchanged
  // (pending, drifted, out of order, failed, outdated). It may complete those elements of the
  // set's store, which are read again afterwards, and throws to stop the operation (nothing has
  // changed yet). Not called when nothing is pending. Empty: the set is complete (a generated set
  // was checked when it was built).
  std::function<void(std::span<const std::size_t> positions)> prepare;
};

// Where one migration (or routine) stands.
enum class MigrationState : std::uint8_t {
  applied,       // in the history table, checksum matches
  pending,       // embedded, not applied
  drifted,       // applied, but the embedded checksum differs
  unknown,       // applied, not in this binary, older than its newest migration (a hole), or
                 // any applied version when the binary has no migration; for a routine: no
                 // longer in source
  ahead,         // applied, not in this binary, newer than every migration it has: a newer
                 // release applied it
  out_of_order,  // pending, but older than the newest applied version
  failed,        // a non-transactional migration (or its down: `rollback`) stopped part-way;
                 // awaits resolve()
  running,       // a non-transactional migration (or its down) under way in a live session
  outdated,      // a routine whose embedded body differs from the newest applied revision
};

// One row of a plan, in the order up() would consider it (applied and pending migrations by
// version, then unknown versions, then routines by name).
struct PlanEntry {
  MigrationKind kind = MigrationKind::migration;
  MigrationState state = MigrationState::pending;
  std::string version;  // empty for a routine
  std::string name;
  std::string checksum;          // embedded checksum; empty when unknown
  std::string applied_checksum;  // from the history table; empty when pending
  std::string applied_at;        // ISO 8601 with time zone; empty when pending
  std::string applied_by;        // database role that applied it
  std::optional<std::int64_t> execution_ms;
  int revision = 0;              // routines: how many distinct bodies were applied (0 = none)
  std::string failed_statement;  // for `failed`: the statement it stopped at
  bool rollback = false;         // `failed`/`running` concern the down, not the up
  int statements_done = 0;       // `failed`/`running`: statements of that section that took effect
  std::string adopted_from;      // the tool `adopt` took it from ("dbmate", "baseline"); or empty
  // Where the embedded migration or routine is in the MigrationSet the Migrator was given:
  // `set[*position]` is it. nullopt when this program does not have it (unknown, ahead). An index,
  // not a pointer or a reference: a compiled set decodes its elements on access, so it has none
  // that stay put, and a plan may outlive the Migrator that made it.
  std::optional<std::size_t> position;
};

struct Plan {
  std::vector<PlanEntry> entries;

  [[nodiscard]] std::size_t count(MigrationState state) const noexcept;
  // Whether up() would apply something.
  [[nodiscard]] bool has_pending() const noexcept;
};

// What an up/down run did, in order.
struct RunReport {
  struct Step {
    MigrationKind kind = MigrationKind::migration;
    std::string version;
    std::string name;
    int revision = 0;  // routines
    std::chrono::milliseconds duration{0};
  };
  std::vector<Step> steps;
  std::chrono::milliseconds total{0};
  // Applied versions newer than every migration of this binary (see MigratorOptions::
  // refuse_future). When not empty (and unknown versions are not allowed), nothing was applied.
  std::vector<std::string> ahead;
};

// The state a history row records.
enum class RowState : std::uint8_t {
  applied,
  running,  // a non-transactional migration (or a rollback) under way, or killed part-way
  failed,   // a non-transactional migration (or rollback) stopped by an error
};

// "applied", "running" or "failed": the history table's and the JSON output's spelling.
[[nodiscard]] std::string_view to_string(RowState state) noexcept;

// One row of the history table, oldest first (docs/runtime.md lists the table's columns).
struct HistoryEntry {
  std::int64_t id = 0;   // application order
  std::int64_t run = 0;  // which up() run applied it (one number per run)
  MigrationKind kind = MigrationKind::migration;
  std::string version;  // empty for a routine
  std::string name;
  int revision = 0;  // routines: 1, 2, 3...; 0 for a migration
  std::string checksum;
  // For running and failed, an `error` starting "rollback: " means the down was under way or
  // failed, not the up.
  RowState state = RowState::applied;
  bool has_down = false;
  std::string applied_at;  // ISO 8601 with time zone
  std::string applied_by;
  std::optional<std::int64_t> execution_ms;
  std::string failed_statement;  // for "failed"
  std::string error;             // for "failed": the server's message
  std::string adopted_from;      // the tool `adopt` took it from ("dbmate", "baseline"); or empty
};

// A libpq connection the caller opened and keeps owning (a `PGconn*`: libpq's PGconn is
// `struct pg_conn`, declared here so this header needs no libpq include, as libpqxx does). The
// Migrator borrows it: never closes it, and puts libpq's notice receiver function back when
// destroyed (a custom receiver's argument cannot be read back from libpq: set a custom receiver
// again afterwards).
struct BorrowedConnection {
  pg_conn* connection = nullptr;
};

// How resolve() settles a non-transactional migration, or rollback, that stopped part-way, after
// a human fixed the database.
enum class Resolution : std::uint8_t {
  mark_applied,      // the migration is in effect: record it as applied
  forget,            // it is not: remove the failed row so the next up() runs it again
  mark_rolled_back,  // a rollback that a human finished: remove the row (the same as forget)
};

// The history table as Migrator::plan() reads it, read at one moment over a connection the caller
// owns: a host that connects while it still reads its migration set (the `strata` tool reads the
// folder meanwhile) can read the history then too, and plan with it once the set is there.
// Move-only.
class HistoryRead {
 public:
  // Reads the table `history_table` (MigratorOptions::history_table) over `connection` without
  // creating it or taking the lock: two round trips. Throws ConnectionError when the connection
  // is not open, ConfigurationError (bad table name), Error (the table is not strata's, or was
  // written by a newer strata), SqlError.
  HistoryRead(BorrowedConnection connection,
              std::string_view history_table = default_history_table);
  ~HistoryRead();
  HistoryRead(HistoryRead&&) noexcept;
  HistoryRead& operator=(HistoryRead&&) noexcept;
  HistoryRead(const HistoryRead&) = delete;
  HistoryRead& operator=(const HistoryRead&) = delete;

 private:
  friend class Migrator;
  struct Data;
  std::unique_ptr<Data> m_data;
};

// Owns one connection (or borrows one, see BorrowedConnection) for its lifetime. Not thread-safe:
// use one Migrator per thread; many processes may migrate one database at once (the lock).
class Migrator {
  class Impl;

 public:
  // Connects with a URL or key=value string (libpq's PG* variables fill the gaps; an empty string
  // uses them alone). Keeps views into the text of `set`: its store must outlive the Migrator (a
  // generated set's is static data). Throws ConnectionError, ConfigurationError (bad history table
  // name).
  Migrator(std::string_view conninfo, const MigrationSet& set, MigratorOptions options = {});
  // Works over a connection the caller owns (see BorrowedConnection); options.application_name
  // is not applied. Throws ConnectionError when it is not open.
  Migrator(BorrowedConnection connection, const MigrationSet& set, MigratorOptions options = {});
  ~Migrator();
  Migrator(Migrator&&) noexcept;
  Migrator& operator=(Migrator&&) noexcept;
  Migrator(const Migrator&) = delete;
  Migrator& operator=(const Migrator&) = delete;

  // Reads the history table (without creating it) and compares it with the set. Changes nothing.
  // A non-transactional migration under way is `running` while another session holds the
  // migration lock, `failed` (interrupted) once none does.
  [[nodiscard]] Plan plan();
  // plan() from `read`, taken earlier over a connection to the same database: what plan() would
  // have said then (it reads without the lock, so a read taken a moment earlier is as good).
  // Throws ConfigurationError when `read` is of another history table than this Migrator's.
  [[nodiscard]] Plan plan(HistoryRead read);

  // Throws RefusedError when the plan holds drift, unknown versions, out-of-order pending
  // versions or a failed migration (each unless allowed by the options), or when another tool's
  // history table is present and strata's does not exist (Refusal::not_adopted: run adopt());
  // returns the plan. Versions `ahead` of this binary pass unless options.refuse_future.
  Plan verify();

  // Applies every pending migration in order, then every routine whose body changed. When the
  // database is ahead of this binary (RunReport::ahead), applies nothing at all, routines
  // included: their older bodies would replace the newer release's. Throws RefusedError (nothing
  // applied; Refusal::not_adopted on a database another tool migrated), LockTimeoutError,
  // SqlError (with the migration and its source position; migrations before it stay applied; on
  // a database without any history, an "already exists" error of the first migration carries the
  // hint to adopt or baseline).
  RunReport up();
  // Applies pending migrations up to and including `to_version` (routines are not applied).
  // Throws ConfigurationError when `to_version` is not in the set.
  RunReport up(std::string_view to_version);

  // Rolls back the `steps` newest applied migrations from the down SQL stored in the history
  // table. Throws RefusedError(no_down) before changing anything if one of them has no down SQL.
  RunReport down(std::size_t steps = 1);
  // Rolls back every migration newer than `version`, and every routine revision applied after it,
  // newest first. `version` must be a migration of the set or of the history table; "0" (or
  // "00"...) rolls back everything unless a migration has that version. Throws
  // ConfigurationError, before changing anything, for any other version (a typo must never roll
  // back everything), and RefusedError(no_down) as down() does.
  RunReport down_to(std::string_view version);
  // Rolls back every migration and routine revision, newest first. Throws as down() does.
  RunReport down_all();

  // Exactly the SQL up() would send, history writes included, one round trip per entry. Reads
  // the history table; changes nothing.
  [[nodiscard]] std::vector<std::string> up_sql();

  // Every row of the history table, oldest first; empty when it does not exist. Changes nothing.
  [[nodiscard]] std::vector<HistoryEntry> history();

  // Settles the failed migration or rollback `version`. Throws ConfigurationError when it is not
  // failed.
  void resolve(std::string_view version, Resolution how);

  // Takes over a database another tool migrated: records, in one transaction under the lock, every
  // migration of the set that the other tool's history table says is applied (or, with
  // options.baseline, every migration up to and including that version) as applied, with the rows
  // strata's own runs write (checksum, down SQL, who and when) and the tool's name. The foreign
  // table is only read. Throws RefusedError (Refusal::adopt) naming the versions when strata's
  // history already has rows (unless options.force), the other tool left a migration unfinished
  // (golang-migrate dirty, sqlx or Flyway success = false), a version it applied has no file here,
  // or a file's checksum differs from the one the tool recorded (sqlx, Flyway); ConfigurationError
  // when no foreign table is found, several are and options.from is unset, or the baseline is not
  // a version of the set; LockTimeoutError.
  AdoptReport adopt(const AdoptOptions& options);

  // Another tool's history table holding versions, when strata's history table does not exist
  // (the database is not adopted); nullopt otherwise. A few round trips; changes nothing.
  [[nodiscard]] std::optional<ForeignHistory> foreign_history();

  // The connection string in effect, password replaced by ***.
  [[nodiscard]] std::string redacted_conninfo() const;

  // The migration lock held across several operations of this Migrator (see hold_lock()); it is
  // released when the LockHold goes. Move-only; must not outlive its Migrator.
  class LockHold {
   public:
    LockHold(LockHold&& other) noexcept;
    LockHold& operator=(LockHold&&) = delete;
    LockHold(const LockHold&) = delete;
    LockHold& operator=(const LockHold&) = delete;
    // Releases the lock; an error is swallowed (the session's end releases it anyway).
    ~LockHold();
    // Releases the lock now. Throws Error when the server says this session did not hold it (a
    // pooler moved the session's statements).
    void release();

   private:
    friend class Migrator;
    explicit LockHold(Impl* impl) noexcept : m_impl(impl) {}
    Impl* m_impl;
  };

  // Takes the migration lock (as up() does: the same session checks, waiting and timeout) and
  // holds it until the returned LockHold goes: up(), down(), resolve() and adopt() called meanwhile
  // work under it instead of taking and releasing it each time, and other migrators wait. For
  // operations that belong together (`strata replay` proves each migration by up, down and up
  // again). Throws LockTimeoutError, ConfigurationError (a transaction pooler, or a lock already
  // held by this Migrator), Error (a hot standby or a read-only session).
  [[nodiscard]] LockHold hold_lock();

 private:
  std::unique_ptr<Impl> m_impl;
};

}  // namespace strata
