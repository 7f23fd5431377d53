// The command and option tables of strata::cli (see options.hpp).
#include "options.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace po = boost::program_options;

namespace strata::cli {
namespace {

constexpr std::uint32_t read_options = option_json | option_migrator | option_table | option_wait;
constexpr std::uint32_t fleet_read_options = read_options | option_fleet;
constexpr std::uint32_t write_options = read_options | option_dump_schema;
constexpr std::uint32_t fleet_write_options = write_options | option_fleet;

const std::vector<CommandSpec> k_commands{
    {Command::status,
     "status",
     "Show every migration and routine: applied, pending, drifted, ...",
     fleet_read_options | option_exit_code,
     true,
     {},
     SetUse::compare},
    {Command::up,
     "up",
     "Apply pending migrations, then every routine whose body changed",
     fleet_write_options | option_to,
     true,
     {},
     SetUse::compare},
    {Command::down, "down", "Roll back the newest migration, N of them, or down to a version",
     fleet_write_options | option_steps | option_to, true},
    {Command::rollback, "rollback", "Roll back the newest migration (down --steps 1)",
     fleet_write_options, true},
    {Command::redo, "redo", "Roll back the newest migration and apply it again", write_options,
     true},
    {Command::verify,
     "verify",
     "Check the database against the migrations; exit 3 when refused",
     fleet_read_options,
     true,
     {},
     SetUse::compare},
    {Command::plan,
     "plan",
     "Print exactly the SQL `up` would send (history writes included)",
     fleet_read_options,
     true,
     {},
     SetUse::compare},
    {Command::history, "history", "What the database has applied, oldest first", fleet_read_options,
     true},
    {Command::resolve, "resolve",
     "Settle a non-transactional migration or rollback that stopped part-way",
     option_migrator | option_table | option_resolution | option_wait, true},
    {Command::wait, "wait", "Wait until the server accepts connections", option_timeout, false},
    {Command::create, "create", "Create the database named in the URL", option_wait, false},
    {Command::drop, "drop", "Drop the database named in the URL", option_wait, false},
    {Command::dump, "dump",
     "Write the schema (pg_dump --schema-only) and the applied migrations to a file",
     option_file | option_table | option_wait, true},
    {Command::load, "load", "Restore a schema file written by dump into an empty database",
     option_file | option_table | option_wait, true, "[FILE]"},
    {Command::completion, "completion", "Print the shell completion script (bash, zsh or fish)", 0,
     false, "SHELL"},
    {Command::man, "man", "Print the manual page (roff; `strata man | man -l -`)", 0, false},
    {Command::adopt, "adopt",
     "Take over a database another tool migrated: record what it applied as applied",
     option_migrator | option_table | option_adopt | option_json | option_wait | option_fleet,
     true},
    {Command::replay, "replay",
     "Apply every migration to a scratch database, prove each down, snapshot the schema",
     option_table | option_replay, true},
};

}  // namespace

const std::vector<CommandSpec>& command_specs() {
  return k_commands;
}

po::options_description common_options(bool with_url) {
  po::options_description d{"Options"};
  if (with_url) {
    d.add_options()("url", po::value<std::string>()->value_name("URL"),
                    "database URL or key=value string (default: $DATABASE_URL, else libpq's PG* "
                    "variables)");
  }
  d.add_options()                                                               //
      ("verbose,v", "say more: connection, lock, each migration as it starts")  //
      ("quiet,q", "print only errors and the data asked for")                   //
      ("help,h", "show this help");
  return d;
}

po::options_description migrator_options() {
  po::options_description d{"Migration options"};
  d.add_options()  //
      ("lock-timeout", po::value<std::string>()->value_name("DURATION"),
       "how long to wait for another migrating process (default: 60s)")  //
      ("statement-lock-timeout", po::value<std::string>()->value_name("DURATION"),
       "give up a migration whose statement waits longer than this for a lock held by another "
       "session (PostgreSQL's lock_timeout; default: wait)")                              //
      ("allow-drift", "run even though an applied migration's checksum changed")          //
      ("allow-unknown", "run even though the database has versions this program lacks")   //
      ("allow-out-of-order", "apply pending versions older than the newest applied one")  //
      ("refuse-future",
       "refuse a database that has versions newer than all of this program's (by default it is "
       "ahead: a newer release ran; up applies nothing and succeeds)");
  return d;
}

po::options_description specific_options(std::uint32_t bits, std::optional<Command> command,
                                         std::string_view default_table) {
  po::options_description d{"Command options"};
  if ((bits & option_json) != 0U)
    d.add_options()("json", "machine-readable output (see docs/cli.md)");
  if ((bits & option_to) != 0U) {
    const char* what = !command ? "up: apply up to VERSION; down: roll back what came after it"
                       : *command == Command::up
                           ? "apply pending migrations up to and including VERSION"
                           : "roll back every migration newer than VERSION, and the routine "
                             "revisions applied after it (VERSION must be a migration)";
    d.add_options()("to", po::value<std::string>()->value_name("VERSION"), what);
  }
  if ((bits & option_steps) != 0U) {
    d.add_options()("steps", po::value<std::string>()->value_name("N"),
                    "roll back the N newest migrations (default 1)");
    d.add_options()("all", "roll back every migration and routine revision");
  }
  if ((bits & option_resolution) != 0U) {
    d.add_options()  //
        ("mark-applied", po::value<std::string>()->value_name("VERSION"),
         "the failed migration did take effect: record it as applied")  //
        ("forget", po::value<std::string>()->value_name("VERSION"),
         "it did not: remove its failed row so the next `up` runs it again")  //
        ("mark-rolled-back", po::value<std::string>()->value_name("VERSION"),
         "a rollback that stopped part-way was finished by hand: remove its row");
  }
  if ((bits & option_timeout) != 0U) {
    d.add_options()("timeout", po::value<std::string>()->value_name("DURATION"),
                    "give up after DURATION (default: 60s)");
  }
  if ((bits & option_exit_code) != 0U) {
    d.add_options()("exit-code", "exit 1 when a migration or routine is pending (for CI)");
  }
  if ((bits & option_wait) != 0U) {
    d.add_options()                                                              //
        ("wait", "wait until the server accepts connections before connecting")  //
        ("wait-timeout", po::value<std::string>()->value_name("DURATION"),
         "how long --wait waits (default: 60s)");
  }
  if ((bits & option_fleet) != 0U) {
    d.add_options()  //
        ("each-database", po::value<std::string>()->value_name("PATTERN"),
         "run on every database of the server whose name matches the SQL LIKE PATTERN "
         "(templates and postgres excluded)")  //
        ("each-schema", po::value<std::string>()->value_name("PATTERN"),
         "run on every schema of the database matching PATTERN, each with search_path set to "
         "it and its own history table inside it")  //
        ("urls-file", po::value<std::string>()->value_name("FILE"),
         "run on every database listed in FILE: one URL or key=value string a line, # comments")  //
        ("jobs", po::value<std::string>()->value_name("N"),
         "targets worked on at once, each on its own connection (default: min(4, targets))")  //
        ("fail-fast", "after a target fails, start no new one");
  }
  if ((bits & option_table) != 0U) {
    const std::string own =
        "history table, optionally schema-qualified (default: " + std::string{default_table} + ")";
    d.add_options()("table", po::value<std::string>()->value_name("NAME"),
                    command && *command == Command::adopt
                        ? "the other tool's history table, optionally schema-qualified (default: "
                          "that tool's own, e.g. schema_migrations)"
                        : own.c_str());
  }
  if ((bits & option_dump_schema) != 0U) {
    d.add_options()("dump-schema", po::value<std::string>()->value_name("FILE"),
                    "afterwards, write the schema to FILE as `dump` does");
  }
  if ((bits & option_adopt) != 0U) {
    const std::string into =
        "strata's history table to record into (default: $STRATA_TABLE, else " +
        std::string{default_table} +
        "); --table names the other tool's table here (default: that tool's "
        "own, e.g. schema_migrations)";
    d.add_options()  //
        ("from", po::value<std::string>()->value_name("TOOL"),
         "the tool that migrated the database: dbmate, sqlx, golang-migrate, goose, flyway, "
         "diesel or node-pg-migrate (default: the one whose history table is present)")  //
        ("baseline", po::value<std::string>()->value_name("VERSION"),
         "instead: record every migration up to and including VERSION as applied (a database "
         "migrated by hand, or by a tool not listed)")  //
        ("force",
         "adopt although strata's history already has rows, recording only the versions it "
         "lacks: for finishing an adoption whose rows were partly written (e.g. by an earlier "
         "adopt --baseline), never for a database strata has been migrating")  //
        ("into", po::value<std::string>()->value_name("NAME"), into.c_str());
  }
  if ((bits & option_replay) != 0U) {
    d.add_options()  //
        ("scratch-url", po::value<std::string>()->value_name("URL"),
         "replay on this server, in a database created and dropped for the run (default: a "
         "private server strata starts, see --scratch-dir)")  //
        ("scratch-dir", po::value<std::string>()->value_name("DIR"),
         "where the private server's cluster and verified templates are cached (default: "
         "~/.cache/strata/scratch)")  //
        ("write-schema", po::value<std::string>()->value_name("FILE"),
         "after every migration, write the schema (as `dump` does, without the history rows) "
         "to FILE")  //
        ("check-schema", po::value<std::string>()->value_name("FILE"),
         "fail (exit 1) when FILE differs from that schema, printing the first differing lines");
  }
  if ((bits & option_file) != 0U) {
    d.add_options()("file", po::value<std::string>()->value_name("FILE"),
                    !command || *command == Command::dump
                        ? "where to write the schema (default: db/schema.sql)"
                        : "the schema file to restore (default: db/schema.sql)");
  }
  return d;
}

po::options_description described(const std::vector<HostOption>& options,
                                  const std::string& title) {
  po::options_description d{title};
  for (const HostOption& option : options) {
    if (option.value_name.empty()) {
      d.add_options()(option.name.c_str(), option.description.c_str());
    } else if (option.repeatable) {
      d.add_options()(option.name.c_str(),
                      po::value<std::vector<std::string>>()->value_name(option.value_name),
                      option.description.c_str());
    } else {
      d.add_options()(option.name.c_str(), po::value<std::string>()->value_name(option.value_name),
                      option.description.c_str());
    }
  }
  return d;
}

std::vector<HostOption> host_options_of(const Host& host, const HostCommand& command) {
  std::vector<HostOption> taken;
  for (const HostOption& option : host.options) {
    if (std::find(command.host_options.begin(), command.host_options.end(), long_name(option)) !=
        command.host_options.end()) {
      taken.push_back(option);
    }
  }
  return taken;
}

std::uint32_t option_bit(std::string_view name) {
  if (name == "json")
    return option_json;
  if (name == "to")
    return option_to;
  if (name == "steps" || name == "all")
    return option_steps;
  if (name == "mark-applied" || name == "forget" || name == "mark-rolled-back")
    return option_resolution;
  if (name == "timeout")
    return option_timeout;
  if (name == "file")
    return option_file;
  if (name == "wait" || name == "wait-timeout")
    return option_wait;
  if (name == "exit-code")
    return option_exit_code;
  if (name == "each-database" || name == "each-schema" || name == "urls-file" || name == "jobs" ||
      name == "fail-fast") {
    return option_fleet;
  }
  if (name == "table")
    return option_table;
  if (name == "dump-schema")
    return option_dump_schema;
  if (name == "from" || name == "baseline" || name == "force" || name == "into")
    return option_adopt;
  if (name == "scratch-url" || name == "scratch-dir" || name == "write-schema" ||
      name == "check-schema") {
    return option_replay;
  }
  if (name == "lock-timeout" || name == "statement-lock-timeout" || name.starts_with("allow-") ||
      name == "refuse-future") {
    return option_migrator;
  }
  return 0;
}

std::string long_name(const HostOption& option) {
  return option.name.substr(0, option.name.find(','));
}

po::options_description command_options(const Host& host, const CommandSpec& spec) {
  po::options_description d;
  if (spec.options != 0U)
    d.add(specific_options(
        spec.options, spec.command,
        host.history_table.empty() ? std::string{default_history_table} : host.history_table));
  if ((spec.options & option_migrator) != 0U)
    d.add(migrator_options());
  if (spec.needs_set && !host.options.empty())
    d.add(described(host.options, "Migration source"));
  d.add(common_options());
  return d;
}

po::options_description command_options(const Host& host, const HostCommand& command) {
  po::options_description d;
  if (!command.options.empty())
    d.add(described(command.options, "Command options"));
  if (const std::vector<HostOption> sources = host_options_of(host, command); !sources.empty())
    d.add(described(sources, "Migration source"));
  d.add(common_options(false));
  return d;
}

std::string environment_variable(std::string_view long_name) {
  // What names one run's target (a version, a count, everything) never comes from the
  // environment: a variable left set must not roll back everything. Nor do adopt's one-off
  // decisions (STRATA_TABLE names strata's table, never the other tool's).
  static constexpr std::string_view k_no_variable[] = {
      "help",         "url",          "to",     "steps",
      "all",          "mark-applied", "forget", "mark-rolled-back",
      "from",         "baseline",     "force",  "into",
      "write-schema", "check-schema"};
  if (std::find(std::begin(k_no_variable), std::end(k_no_variable), long_name) !=
      std::end(k_no_variable)) {
    return "";
  }
  if (long_name == "routines")
    return "STRATA_ROUTINES_DIR";  // next to STRATA_MIGRATIONS_DIR
  if (long_name == "file" || long_name == "dump-schema")
    return "STRATA_SCHEMA_FILE";  // dbmate's DBMATE_SCHEMA_FILE: set, it is refreshed after up
  std::string variable = "STRATA_";
  for (const char c : long_name)
    variable += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return variable;
}

std::vector<CommandEntry> every_command(const Host& host) {
  std::vector<CommandEntry> entries;
  for (const HostCommand& command : host.commands) {
    CommandEntry entry{
        command.name, command.summary, command.argument, command_options(host, command), {}};
    for (const HostOption& option : command.options) {
      if (!option.choices.empty())
        entry.choices.emplace_back(long_name(option), option.choices);
    }
    entries.push_back(std::move(entry));
  }
  for (const CommandSpec& spec : k_commands) {
    CommandEntry entry{std::string{spec.name},
                       std::string{spec.summary},
                       std::string{spec.argument},
                       command_options(host, spec),
                       {}};
    if (spec.command == Command::completion)
      entry.choices.emplace_back("", std::vector<std::string>{"bash", "zsh", "fish"});
    entries.push_back(std::move(entry));
  }
  return entries;
}

const CommandSpec* find_command(std::string_view name) {
  const auto it = std::find_if(k_commands.begin(), k_commands.end(),
                               [&](const CommandSpec& spec) { return spec.name == name; });
  return it == k_commands.end() ? nullptr : &*it;
}

const HostCommand* find_host_command(const Host& host, std::string_view name) {
  const auto it = std::find_if(host.commands.begin(), host.commands.end(),
                               [&](const HostCommand& command) { return command.name == name; });
  return it == host.commands.end() ? nullptr : &*it;
}

}  // namespace strata::cli
