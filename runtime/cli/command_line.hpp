// The command line of strata::cli: which commands exist, which options each takes, and the parse
// of argv into an Invocation. Usage mistakes throw UsageError (exit code 2); nothing here touches
// the database.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <strata/error.hpp>
#include <strata/migrator.hpp>

#include "host.hpp"

namespace strata::cli {

// A mistake on the command line: unknown command or option, a bad value. Exit code 2.
class UsageError : public ConfigurationError {
 public:
  using ConfigurationError::ConfigurationError;
};

// The options only some commands take, as bits of CommandSpec::options.
enum CommandOption : std::uint32_t {
  option_to = 1U << 0U,
  option_steps = 1U << 1U,
  option_resolution = 1U << 2U,  // --mark-applied / --forget
  option_timeout = 1U << 3U,
  option_file = 1U << 4U,
  option_json = 1U << 5U,
  option_migrator = 1U << 6U,  // --table, --lock-timeout, --allow-*: commands that use a Migrator
  option_wait = 1U << 7U,      // --wait, --wait-timeout: commands that connect
  option_exit_code = 1U << 8U,
  option_fleet = 1U << 11U,  // --each-database, --each-schema, --urls-file, --jobs, --fail-fast
  option_table = 1U << 9U,   // --table: commands that read or write the history table
  option_dump_schema = 1U << 10U,  // --dump-schema FILE: commands that change the schema
  option_adopt = 1U << 12U,        // --from, --baseline, --force, --into
  option_replay = 1U << 13U,       // --scratch-url, --scratch-dir, --write-schema, --check-schema
};

enum class Command : std::uint8_t {
  status,
  up,
  down,
  rollback,
  redo,
  verify,
  plan,
  history,
  resolve,
  wait,
  create,
  drop,
  dump,
  load,
  completion,
  man,
  adopt,
  replay,
};

struct CommandSpec {
  Command command;
  std::string_view name;
  std::string_view summary;
  std::uint32_t options;  // CommandOption bits
  bool needs_set;         // may load the migration set (host options apply)
  // Its optional positional argument in usage lines ("FILE"); empty when it takes none.
  std::string_view argument = {};
  // What it does with the set's migrations (Host::load): compare those applied unchanged by
  // checksum alone, or possibly read any migration's SQL.
  SetUse set_use = SetUse::read;
};

// Every built-in command, in the order --help lists them.
[[nodiscard]] const std::vector<CommandSpec>& command_specs();

// One parsed command line.
struct Invocation {
  const CommandSpec* spec = nullptr;  // a built-in command; nullptr for a host command, or when
                                      // only help or the version was asked for
  const HostCommand* host_command = nullptr;  // a command of the host
  std::vector<std::string> arguments;         // a host command's positional argument
  bool help = false;                          // print help (for `spec`, or the overview) and exit 0
  bool version = false;
  std::optional<std::string> url;  // --url; otherwise DATABASE_URL, then libpq's PG* defaults
  std::string table{default_history_table};
  std::chrono::milliseconds lock_timeout{default_lock_timeout};
  std::optional<std::chrono::milliseconds> statement_lock_timeout;  // none: wait
  bool allow_drift = false;
  bool allow_unknown = false;
  bool allow_out_of_order = false;
  bool refuse_future = false;
  bool json = false;
  bool verbose = false;
  bool quiet = false;
  std::optional<std::string> to;
  std::optional<std::size_t> steps;
  bool all = false;  // down --all
  std::optional<std::string> mark_applied;
  std::optional<std::string> forget;
  std::optional<std::string> mark_rolled_back;
  std::chrono::milliseconds timeout{std::chrono::seconds{60}};
  std::string file = "db/schema.sql";  // dump/load's file; --dump-schema's for up/down
  bool dump_schema = false;            // up/down/rollback/redo: refresh `file` afterwards
  bool wait = false;                   // wait for the server before connecting
  std::chrono::milliseconds wait_timeout{std::chrono::seconds{60}};
  bool exit_code = false;  // status: exit 1 when something is pending
  // The fleet: run the command on every selected target instead of the one database.
  std::optional<std::string> each_database;  // SQL LIKE pattern over the server's databases
  std::optional<std::string> each_schema;    // SQL LIKE pattern over the database's schemas
  std::optional<std::string> urls_file;      // one connection string a line
  std::size_t jobs = 0;                      // 0 = min(4, targets)
  bool fail_fast = false;
  // adopt: the other tool (--from), its table (--table, which names the foreign table there),
  // --baseline, --force; `table` is then strata's own (--into).
  std::optional<std::string> from;
  std::string foreign_table;
  std::optional<std::string> baseline;
  bool force = false;
  // replay: the server to replay on (else an embedded one cached in scratch_dir), and the schema
  // snapshot to write or compare.
  std::optional<std::string> scratch_url;
  std::optional<std::string> scratch_dir;
  std::optional<std::string> write_schema;
  std::optional<std::string> check_schema;
  HostValues host_values;

  // Whether a fleet selection was given.
  [[nodiscard]] bool selects_fleet() const noexcept {
    return each_database || each_schema || urls_file;
  }
};

// Parses argv (argv[0] is the program). Throws UsageError.
[[nodiscard]] Invocation parse_command_line(int argc, const char* const* argv, const Host& host);

// "90s", "500ms", "2m", "1h" or a bare number of seconds. Throws UsageError naming `option`.
[[nodiscard]] std::chrono::milliseconds parse_duration(std::string_view text,
                                                       std::string_view option);

// The --help text: the overview (spec == nullptr) or one command's usage and options.
[[nodiscard]] std::string help_text(const Host& host, const CommandSpec* spec);
// The --help text of a host command, in the same style.
[[nodiscard]] std::string help_text(const Host& host, const HostCommand& command);
// The completion script for `shell` (bash, zsh, fish) and the man page, generated from the same
// command table as --help. Throw UsageError for an unknown shell.
[[nodiscard]] std::string completion_script(const Host& host, std::string_view shell);
[[nodiscard]] std::string man_page(const Host& host);

// `<program> <version>` for the tool, `<program> (strata <version>)` for a self-migrating binary.
[[nodiscard]] std::string version_text(const Host& host);

}  // namespace strata::cli
