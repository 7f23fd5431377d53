// strata::cli — the command line shared by the `strata` tool and every self-migrating binary.
//
// A consumer's whole `main` can be
//
//   #include "app_db.hpp"
//   #include <strata/cli.hpp>
//   int main(int argc, char** argv) { return strata::cli::run(argc, argv, app_db::migrations()); }
//
// so that `app up --url …` behaves exactly like `strata up -d … --url …`. Commands: status, up,
// down, rollback, redo, verify, plan, history, resolve, wait, create, drop, dump (`--help` lists
// them with their options). Every failure is one line on stderr and an exit code:
//
//   0 ok · 1 failure (SQL error, connection error, migrations that do not compile; status shows
//   the state first and marks them) ·
//   2 usage or configuration error · 3 refused (drift, unknown or out-of-order versions, a failed
//   migration, no down SQL) · 4 lock timeout
//
// No password from --url or DATABASE_URL ever reaches the output.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <strata/migration_set.hpp>

namespace strata::cli {

// The documented exit codes.
enum ExitCode : int {
  exit_ok = 0,
  exit_failure = 1,
  exit_usage = 2,
  exit_refused = 3,
  exit_lock_timeout = 4,
};

// An option of the host: one it adds to every command that needs the migration set (the `strata`
// tool's `-d DIR`, `--routines DIR`, `--ignore GLOB`), or one of a HostCommand's own.
struct HostOption {
  std::string name;           // Boost.Program_options spelling: "dir,d", "routines"
  std::string value_name;     // shown in --help: "DIR"; "" = a switch that takes no value
  std::string description;    // one line for --help
  std::string default_value;  // "" = none
  bool repeatable = false;    // may be given several times (collected in order)
  std::vector<std::string> choices = {};  // the values it accepts, for shell completion
};

// The values of the host options on one command line, by long name ("dir" → {"db/migrations"}).
// A switch that was given has the value {"1"}; one that was not, no value.
using HostValues = std::vector<std::pair<std::string, std::vector<std::string>>>;

// A command the host adds (the tool's check/generate/lock/new). It is parsed by the same command
// line as the built-in commands: options before or after it, `--help`, the same help style.
struct HostCommand {
  std::string name;
  std::string summary;  // one line for the overview
  // Said after the usage line in the command's --help: what it does, its exit codes.
  std::string details;
  // The name of its positional argument in usage lines ("NAME"); "" when it takes none.
  std::string argument;
  // The long names of the Host::options it takes ("migrations-dir", "routines").
  std::vector<std::string> host_options;
  // Its own options.
  std::vector<HostOption> options;
  // Runs it with the values of `host_options` and `options` by long name and its positional
  // arguments (at most one). Returns the exit code; may throw like Host::load.
  std::function<int(const HostValues& values, const std::vector<std::string>& arguments)> run;
  // Whether STRATA_* variables (and `.env`) fill its options the command line leaves out. Off for
  // a command whose output must depend only on its command line (`generate`, run by the build).
  bool reads_environment = true;
};

// What Host::survey found: how many migrations it checked, and each that does not compile, by
// position in the set, with its first error line ("/abs/x.sql:3:28: error: …").
struct HostSurvey {
  std::size_t checked = 0;
  std::vector<std::pair<std::size_t, std::string>> not_compiling;
};

// Who runs the command line and where its migrations come from.
struct Host {
  // The program as the user typed it, for usage lines: "strata", "auth-service migrate".
  std::string program;
  // Extra options accepted by every command that loads the set.
  std::vector<HostOption> options;
  // Commands of the host's own, listed in --help after the built-in ones are described.
  std::vector<HostCommand> commands;
  // Produces the migration set for a command that needs one, called at most once per run and only
  // after the command line parsed. Returns nullptr after printing its own diagnostics (exit 1);
  // may throw strata::ConfigurationError (exit 2). The set must stay valid until run() returns.
  std::function<const MigrationSet*(const HostValues&)> load;
  // Read `.env` from the working folder first, as dbmate and sqlx do: each KEY=VALUE line sets
  // KEY unless the real environment already has it (DATABASE_URL, PG*, STRATA_*). The `strata`
  // tool does; a self-migrating binary does not unless it says so.
  bool read_env_file = false;
  // `load` reads files (the `strata` tool): connect to the database on another thread meanwhile,
  // since reading a large folder takes about as long as the server takes to start a session.
  bool load_reads_files = false;
  // For a host whose set is completed on demand (the `strata` tool checks the SQL of migrations
  // applied unchanged only when they were applied): checks the migrations at `positions` of the
  // set `load` returned and completes those elements (see MigratorOptions::prepare). Returns how
  // many it checked now, or std::nullopt after printing its diagnostics (exit 1). With
  // --verbose, the command ends with a note of how many were checked. Empty: the set is complete.
  std::function<std::optional<std::size_t>(std::span<const std::size_t> positions)> prepare{};
  // prepare() for `status`, which shows the database's state even when a migration it would
  // check does not compile: such a migration is left unchecked and reported, not printed and not
  // fatal (status marks it and exits 1). Empty: status uses prepare.
  std::function<HostSurvey(std::span<const std::size_t> positions)> survey{};
  // The history table when neither --table nor STRATA_TABLE names one: a self-migrating binary's
  // compiled-in table (MigrationSet::history_table()). Empty: strata_migrations.
  std::string history_table{};
};

// Runs one command line (argv[0] is the program) for a self-migrating binary whose migrations are
// `set`. `program` names it in usage lines ("myapp migrate"; default: argv[0]'s file name). Never
// throws: every error becomes one line on stderr and a documented exit code.
[[nodiscard]] int run(int argc, const char* const* argv, const MigrationSet& set,
                      std::string_view program = {});
[[nodiscard]] int run(int argc, char** argv, const MigrationSet& set,
                      std::string_view program = {});

// Migrate on start: `up` through the same command handler, exactly as `<program> up` would run it
// (DATABASE_URL, PG* and STRATA_* variables apply; progress, refusals and errors are printed the
// same way). `program` is how a user runs this binary's migrate command ("app migrate"): the
// commands a message suggests (`app migrate resolve …`) start with it. `conninfo` empty:
// DATABASE_URL, else libpq's PG* variables. Returns the exit code (exit_ok when the database is up
// to date, or ahead of this binary); never throws.
[[nodiscard]] int migrate_on_start(const MigrationSet& set, std::string_view program,
                                   std::string_view conninfo = {});

// The same, for a host that names itself and loads its set lazily (the `strata` tool).
[[nodiscard]] int run(int argc, const char* const* argv, const Host& host);

}  // namespace strata::cli
