// The option table of the command line: which options exist, which commands take them, and their
// Boost.Program_options descriptions. The parser, --help, the shell completions and the man page
// are all generated from it, so an option added here appears everywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <strata/migrator.hpp>

#include <boost/program_options.hpp>

#include "command_line.hpp"
#include "host.hpp"

namespace strata::cli {

// --url, --verbose, --quiet, --help; `with_url` false for commands that never connect.
[[nodiscard]] boost::program_options::options_description common_options(bool with_url = true);
// --table, --lock-timeout, --allow-*: the options of every command that uses a Migrator.
[[nodiscard]] boost::program_options::options_description migrator_options();
// The options selected by `bits` (CommandOption), described for `command` when given;
// `default_table` is the --table default they name (Host::history_table).
[[nodiscard]] boost::program_options::options_description specific_options(
    std::uint32_t bits, std::optional<Command> command = {},
    std::string_view default_table = default_history_table);
// `options` as a section titled `title`.
[[nodiscard]] boost::program_options::options_description described(
    const std::vector<HostOption>& options, const std::string& title);
// The Host::options a host command takes.
[[nodiscard]] std::vector<HostOption> host_options_of(const Host& host, const HostCommand& command);

// Every option a command takes, in the sections its --help shows.
[[nodiscard]] boost::program_options::options_description command_options(const Host& host,
                                                                          const CommandSpec& spec);
[[nodiscard]] boost::program_options::options_description command_options(
    const Host& host, const HostCommand& command);

// The environment variable that sets an option when the command line does not ("table" →
// "STRATA_TABLE"); "" for the options that are one-off choices (--to, --steps, --help, …) and for
// --url (DATABASE_URL).
[[nodiscard]] std::string environment_variable(std::string_view long_name);

// Which CommandOption bit a built-in option belongs to; 0 for the common ones.
[[nodiscard]] std::uint32_t option_bit(std::string_view name);

// "migrations-dir" of "migrations-dir,d".
[[nodiscard]] std::string long_name(const HostOption& option);

// One command as --help, the completions and the man page show it: built-in or the host's.
struct CommandEntry {
  std::string name;
  std::string summary;
  std::string argument;  // "NAME", "[FILE]", "" for none
  boost::program_options::options_description options;
  std::vector<std::pair<std::string, std::vector<std::string>>> choices;  // by long option name
};
// Every command: the host's first, then the built-in ones, as the overview lists them.
[[nodiscard]] std::vector<CommandEntry> every_command(const Host& host);

[[nodiscard]] const CommandSpec* find_command(std::string_view name);
[[nodiscard]] const HostCommand* find_host_command(const Host& host, std::string_view name);

}  // namespace strata::cli
