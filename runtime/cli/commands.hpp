// The command handlers of strata::cli and what they share: the parsed command line, the output,
// the connection string, and the lazily loaded migration set.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <strata/migrator.hpp>

#include "command_line.hpp"
#include "host.hpp"
#include "output.hpp"
#include "pq/connection.hpp"

namespace strata::cli {

// The host could not produce the migration set and has printed why (exit code 1).
class LoadFailed : public std::runtime_error {
 public:
  LoadFailed() : std::runtime_error("the migrations do not compile") {}
};

class Context {
 public:
  Context(const Invocation& invocation, const Host& host, Output& output);

  [[nodiscard]] const Invocation& invocation() const noexcept { return m_invocation; }
  [[nodiscard]] const Host& host() const noexcept { return m_host; }
  // The program as the user typed it ("strata", "myapp migrate"), for commands suggested in output.
  [[nodiscard]] const std::string& program() const noexcept { return m_host.program; }
  [[nodiscard]] Output& output() noexcept { return m_output; }
  // The connection string in effect ("" = libpq's PG* defaults) and its printable form.
  [[nodiscard]] const std::string& conninfo() const noexcept { return m_conninfo; }
  [[nodiscard]] std::string redacted() const;

  // The migration set, loaded through the host on first use. Throws LoadFailed.
  [[nodiscard]] const MigrationSet& set();
  // A connected migrator with the command line's options; its progress lines say `verb`
  // ("Applied") until set_verb() changes it.
  [[nodiscard]] Migrator migrator();
  // The same for `status`: with a host that surveys (Host::survey), a migration that does not
  // compile is recorded in not_compiling() instead of stopping the command; and when the host
  // reads files, the history is read while it reads its set (plan() plans with that read).
  [[nodiscard]] Migrator surveying_migrator();
  // The plan of `migrator`, from the history surveying_migrator() read ahead if it did.
  [[nodiscard]] Plan plan(Migrator& migrator);
  struct NotCompiling {
    MigrationKind kind = MigrationKind::migration;
    std::string version;
    std::string name;
    std::string error;  // the first line of its first diagnostic
  };
  [[nodiscard]] const std::vector<NotCompiling>& not_compiling() const noexcept {
    return m_not_compiling;
  }
  // The options migrator() uses: the command line's, progress events, the host's prepare hook.
  [[nodiscard]] MigratorOptions migrator_options();
  void set_verb(std::string verb) { m_verb = std::move(verb); }
  // With --verbose, for a host that checks on demand: how many migrations the command checked.
  void note_checks();

  // What the migrators of this context did so far, from their events, so that a run that fails
  // part-way can still say what it applied: each finished step with the verb in effect, and the
  // step under way (started, not finished), if any.
  struct Done {
    std::string verb;
    RunReport::Step step;
  };
  [[nodiscard]] const std::vector<Done>& done() const noexcept { return m_done; }
  [[nodiscard]] const std::optional<Event>& under_way() const noexcept { return m_under_way; }

 private:
  const Invocation& m_invocation;
  const Host& m_host;
  Output& m_output;
  std::string m_conninfo;
  const MigrationSet* m_set = nullptr;
  std::size_t m_checked = 0;  // migrations the host checked on demand
  std::vector<NotCompiling> m_not_compiling;
  std::string m_verb = "Applied";
  std::vector<Done> m_done;
  std::optional<Event> m_under_way;
  // The connections opened while the host loaded its set, each borrowed by one migrator; a deque,
  // so a migrator's connection never moves while it lives.
  std::deque<pq::Connection> m_connections;
  std::optional<HistoryRead> m_history_read;  // read while the host read its set, not used yet

  // With `read_history_ahead`, when the connection is opened while the host reads its set, the
  // history is read on that connection's thread too, for the migrator's first plan().
  [[nodiscard]] Migrator make_migrator(MigratorOptions options, bool read_history_ahead = false);
};

// Runs `body`, turning every error it throws into one line on `output` and the documented exit
// code; `see_help` ends a usage error's line. Never throws.
int run_reporting_errors(Output& output, std::string_view see_help,
                         const std::function<int()>& body);
// Runs the command of `context` on its one database. Throws what the command throws.
int dispatch(Context& context);
// Runs the command of `context` on every target of its fleet selection (--each-database,
// --each-schema, --urls-file), at most --jobs at once, and prints one report. Returns the worst
// exit code of the targets. Throws ConfigurationError for a bad or empty selection.
int fleet_command(Context& context);

// Each returns the exit code; errors are thrown (run() maps them to codes).
int status_command(Context& context);
int history_command(Context& context);
int plan_command(Context& context);
int verify_command(Context& context);
int up_command(Context& context);
int down_command(Context& context);
int redo_command(Context& context);
int resolve_command(Context& context);
int wait_command(Context& context);
int create_command(Context& context);
int drop_command(Context& context);
int dump_command(Context& context);
int load_command(Context& context);

// What `dump` adds to pg_dump's output at `path`, in place: the random `\restrict` lines of newer
// pg_dump releases removed (same schema → same bytes) and the applied migrations appended as
// INSERTs into the history table, as dbmate appends its versions. Throws Error on I/O failure.
void finish_schema_dump(Context& context, const std::filesystem::path& path);
int adopt_command(Context& context);
int replay_command(Context& context);

// Runs pg_dump --schema-only --no-owner --no-privileges for `conninfo` into `file` (secrets
// through the environment and a private service file, never its command line). Throws Error when
// pg_dump cannot run or fails.
void run_pg_dump(Context& context, const std::string& conninfo, const std::filesystem::path& file);
// The schema of the database `conninfo` names as `dump` writes it, without the history rows:
// the snapshot `replay --write-schema` writes. Throws Error.
[[nodiscard]] std::string schema_snapshot(Context& context, const std::string& conninfo);
// Writes `text` to `path` through a temporary file beside it. Throws Error.
void write_text_file(const std::filesystem::path& path, std::string_view text);
// Compares the committed snapshot `path` with `text`; when they differ, prints the first
// differing lines and the command that updates the file, and returns false.
[[nodiscard]] bool check_schema_snapshot(Context& context, const std::filesystem::path& path,
                                         std::string_view text);

// Waits until the server of the context's connection string accepts connections (polling with
// backoff up to 1 s) and returns how long that took. Throws ConnectionError when `timeout` passes
// first, ConfigurationError for a connection string libpq cannot use.
std::chrono::milliseconds wait_for_server(Context& context, std::chrono::milliseconds timeout);

// Creates the database the context's connection string names when the server is reachable and
// it does not exist (what dbmate's `up` does); says "Created database "x"". Returns whether it
// did. Throws SqlError when CREATE DATABASE fails.
bool create_missing_database(Context& context);

// The JSON name of a state ("out_of_order") and of a kind ("routine").
[[nodiscard]] std::string_view state_name(MigrationState state) noexcept;
[[nodiscard]] std::string_view kind_name(MigrationKind kind) noexcept;

}  // namespace strata::cli
