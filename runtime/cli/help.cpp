// The --help texts and the version line, generated from the option table (options.hpp).
#include <optional>
#include <sstream>

#include <strata/version.hpp>

#include "command_line.hpp"
#include "options.hpp"

namespace strata::cli {
namespace {

constexpr std::string_view k_exit_codes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  failure: SQL error, connection error, migrations that do not compile (status\n"
    "     still shows the database's state and marks them)\n"
    "  2  usage or configuration error (unknown command or option, bad value)\n"
    "  3  refused: drift, unknown or out-of-order versions, a failed migration, no down SQL,\n"
    "     a database another tool migrated that is not adopted, an adoption that does not\n"
    "     match the files\n"
    "  4  timed out waiting for the migration lock\n";

constexpr std::string_view k_environment =
    "Environment: DATABASE_URL (used when --url is absent); PGHOST, PGPORT, PGUSER,\n"
    "PGPASSWORD, PGDATABASE (libpq's defaults); NO_COLOR (plain ASCII output). The strata tool\n"
    "first reads .env in the working folder (variables already set win); status, up, verify and\n"
    "plan keep what they learnt of an unchanged folder in STRATA_CATALOG_CACHE (default\n"
    "~/.cache/strata/catalog; off: none; see docs/cli.md).\n\n";

// The variable that sets option `long_name` of `command`, "" when none. adopt's --table names
// the other tool's table; STRATA_TABLE still names strata's own, which adopt calls --into.
std::string variable_for(std::optional<Command> command, std::string_view long_name) {
  if (command == Command::adopt) {
    if (long_name == "table")
      return "";
    if (long_name == "into")
      return environment_variable("table");
  }
  return environment_variable(long_name);
}

// "Variables: STRATA_TABLE (--table), …" for the options of one command, wrapped.
std::string variables_of(const boost::program_options::options_description& options,
                         std::optional<Command> command = std::nullopt) {
  std::string text = "Each option can also be set by a variable (the command line wins):";
  std::size_t column = text.size();
  for (const auto& option : options.options()) {
    const std::string variable = variable_for(command, option->long_name());
    if (variable.empty())
      continue;
    const std::string item = " " + variable + " (--" + option->long_name() + ")";
    if (column + item.size() > 98) {
      text += "\n ";
      column = 1;
    }
    text += item;
    column += item.size();
  }
  return text + "\n\n";
}

}  // namespace

std::string help_text(const Host& host, const CommandSpec* spec) {
  std::ostringstream out;
  if (spec == nullptr) {
    out << "Usage: " << host.program << " <command> [options]\n\nCommands:\n";
    const auto line = [&](std::string_view name, std::string_view summary) {
      out << "  " << name << std::string(name.size() < 10 ? 10 - name.size() : 1, ' ') << summary
          << '\n';
    };
    for (const HostCommand& command : host.commands)
      line(command.name, command.summary);
    for (const CommandSpec& command : command_specs())
      line(command.name, command.summary);
    out << "\nRun '" << host.program << " <command> --help' for the options of a command.\n";
  } else {
    out << "Usage: " << host.program << ' ' << spec->name << " [options]"
        << (spec->argument.empty() ? "" : " ") << spec->argument << "\n\n"
        << spec->summary << ".\n\n";
    if (spec->options != 0U)
      out << specific_options(spec->options, spec->command,
                              host.history_table.empty() ? std::string{default_history_table}
                                                         : host.history_table)
          << '\n';
    if ((spec->options & option_migrator) != 0U)
      out << migrator_options() << '\n';
    if (spec->needs_set && !host.options.empty())
      out << described(host.options, "Migration source") << '\n';
  }
  out << common_options() << '\n';
  if (spec != nullptr)
    out << variables_of(command_options(host, *spec), spec->command);
  out << k_environment << k_exit_codes;
  return out.str();
}

std::string help_text(const Host& host, const HostCommand& command) {
  std::ostringstream out;
  out << "Usage: " << host.program << ' ' << command.name << " [options]"
      << (command.argument.empty() ? "" : " ") << command.argument << "\n\n"
      << command.summary << ".\n";
  if (!command.details.empty())
    out << '\n' << command.details << '\n';
  out << '\n';
  if (!command.options.empty())
    out << described(command.options, "Command options") << '\n';
  if (const std::vector<HostOption> sources = host_options_of(host, command); !sources.empty())
    out << described(sources, "Migration source") << '\n';
  out << common_options(false) << '\n'
      << variables_of(command_options(host, command)) << k_exit_codes;
  return out.str();
}

std::string version_text(const Host& host) {
  const std::string version{version_string};
  if (host.program == "strata")
    return "strata " + version + "\n";
  return host.program + " (strata " + version + ")\n";
}

}  // namespace strata::cli
