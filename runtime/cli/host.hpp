// The host side of strata::cli: how strata's own `strata` tool plugs its options, its compiler
// commands and its lazily checked migration folder into the shared command line.
//
// Internal to strata's build (runtime/cli's strata_cli_internal target, never installed): only the
// in-tree tool is a host, and the option names here are Boost.Program_options spellings, which a
// consumer's code should not see. A self-migrating binary uses <strata/cli.hpp> alone.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <strata/cli.hpp>
#include <strata/migration_set.hpp>

namespace strata::cli {

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

// What a command does with the migrations the host loads for it.
enum class SetUse : std::uint8_t {
  // Compares those applied unchanged with the history by checksum, and reads the SQL only of those
  // Host::prepare (or survey) completed first: status, up, plan, verify (CommandSpec::set_use).
  compare,
  // May read the SQL of any migration (adopt's foreign checksums, replay, the rest).
  read,
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
  // after the command line parsed; with SetUse::compare, the elements not applied unchanged may
  // lack their SQL until prepare() completes them. Returns nullptr after printing its own
  // diagnostics (exit 1); may throw strata::ConfigurationError (exit 2). The set must stay valid
  // until run() returns.
  std::function<const MigrationSet*(const HostValues&, SetUse)> load;
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
  // With --verbose, a line the command ends with, after the count of migrations checked (the
  // tool: how many of the folder's files it read). Empty: none.
  std::function<std::string()> reading_note{};
  // The history table when neither --table nor STRATA_TABLE names one: a self-migrating binary's
  // compiled-in table (MigrationSet::history_table()). Empty: strata_migrations.
  std::string history_table{};
};

// The same, for a host that names itself and loads its set lazily (the `strata` tool).
[[nodiscard]] int run(int argc, const char* const* argv, const Host& host);

}  // namespace strata::cli
