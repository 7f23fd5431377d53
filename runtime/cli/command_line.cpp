// Parses a strata command line with Boost.Program_options. All options — the built-in commands'
// and the host's — are parsed against their union, so options may come before or after the
// command, and an option given to the wrong command gets a message naming the command, not
// Boost's generic "unrecognised option".
#include "command_line.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <set>

#include <boost/program_options.hpp>

#include "options.hpp"

namespace po = boost::program_options;

namespace strata::cli {
namespace {

std::string string_value(const po::variables_map& values, const char* name) {
  return values[name].as<std::string>();
}

// Sets `field` to the option's value when the command line (or its variable) gives one.
template <typename Field>
void take_if_given(const po::variables_map& values, const char* name, Field& field) {
  if (values.count(name) != 0U)
    field = string_value(values, name);
}

// Every option of every command once, the host's included.
po::options_description every_option(const Host& host) {
  po::options_description all;
  all.add(common_options()).add(migrator_options()).add(specific_options(~0U));
  all.add(described(host.options, "Migration source"));
  std::set<std::string> known;
  for (const auto& option : all.options())
    known.insert(option->long_name());
  std::vector<HostOption> extra;
  for (const HostCommand& command : host.commands) {
    for (const HostOption& option : command.options) {
      if (known.insert(long_name(option)).second)
        extra.push_back(option);
    }
  }
  all.add(described(extra, "Host command options"));
  return all;
}

// The values of `option` on the command line ({"1"} for a given switch), else its default.
std::vector<std::string> values_of(const po::variables_map& values, const HostOption& option) {
  const std::string name = long_name(option);
  std::vector<std::string> given;
  if (values.count(name) == 0U) {
    if (!option.default_value.empty())
      given.push_back(option.default_value);
  } else if (option.value_name.empty()) {
    given.emplace_back("1");
  } else if (option.repeatable) {
    given = values[name].as<std::vector<std::string>>();
  } else {
    given.push_back(values[name].as<std::string>());
  }
  return given;
}

// The STRATA_* variable of each option the command takes and the command line does not give
// (STRATA_TABLE for --table): the command line wins over the environment, which wins over the
// defaults. A switch is on unless its variable is "0", "false", "no" or "off".
void apply_environment(po::variables_map& values, const po::options_description& taken) {
  for (const auto& option : taken.options()) {
    const std::string& name = option->long_name();
    const std::string variable = environment_variable(name);
    if (variable.empty() || values.count(name) != 0U)
      continue;
    const char* text = std::getenv(variable.c_str());
    if (text == nullptr || *text == '\0')
      continue;
    const std::string value{text};
    const po::value_semantic& semantic = *option->semantic();
    if (semantic.max_tokens() == 0U) {
      if (value != "0" && value != "false" && value != "no" && value != "off")
        values.insert({name, po::variable_value{}});
    } else if (dynamic_cast<const po::typed_value<std::vector<std::string>>*>(&semantic) !=
               nullptr) {
      values.insert({name, po::variable_value{std::vector<std::string>{value}, false}});
    } else {
      values.insert({name, po::variable_value{value, false}});
    }
  }
}

bool is_builtin_option(const std::string& name) {
  return common_options().find_nothrow(name, false) != nullptr ||
         migrator_options().find_nothrow(name, false) != nullptr ||
         specific_options(~0U).find_nothrow(name, false) != nullptr;
}

bool names(const std::vector<HostOption>& options, std::string_view name) {
  return std::any_of(options.begin(), options.end(),
                     [&](const HostOption& option) { return long_name(option) == name; });
}

// A host command: check what was given against what it takes, collect the values.
void parse_host_command(const po::variables_map& values, const Host& host,
                        const HostCommand& command, Invocation& invocation) {
  const std::vector<HostOption> sources = host_options_of(host, command);
  for (const auto& [name, value] : values) {
    if (value.defaulted() || name == "command" || name == "arguments" || name == "verbose" ||
        name == "quiet") {
      continue;
    }
    if (!names(sources, name) && !names(command.options, name))
      throw UsageError("'--" + name + "' is not an option of " + command.name);
  }
  if (invocation.arguments.size() > (command.argument.empty() ? 0U : 1U)) {
    throw UsageError(command.name + " takes " +
                     (command.argument.empty() ? std::string{"no arguments"}
                                               : "one argument, " + command.argument) +
                     " (got '" + invocation.arguments.back() + "')");
  }
  for (const HostOption& option : sources)
    invocation.host_values.emplace_back(long_name(option), values_of(values, option));
  for (const HostOption& option : command.options)
    invocation.host_values.emplace_back(long_name(option), values_of(values, option));
}

std::size_t positive_number(const std::string& text, std::string_view option) {
  std::size_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{} || end != text.data() + text.size() || number == 0)
    throw UsageError("--" + std::string{option} + ": '" + text + "' is not a positive number");
  return number;
}

void parse_fleet_options(const po::variables_map& values, Invocation& invocation) {
  take_if_given(values, "each-database", invocation.each_database);
  take_if_given(values, "each-schema", invocation.each_schema);
  take_if_given(values, "urls-file", invocation.urls_file);
  if (values.count("jobs") != 0U)
    invocation.jobs = positive_number(string_value(values, "jobs"), "jobs");
  invocation.fail_fast = values.count("fail-fast") != 0U;
  const int selections = static_cast<int>(invocation.each_database.has_value()) +
                         static_cast<int>(invocation.each_schema.has_value()) +
                         static_cast<int>(invocation.urls_file.has_value());
  if (selections > 1) {
    throw UsageError(
        "give one of --each-database, --each-schema or --urls-file (the schemas of "
        "one database: --url with --each-schema)");
  }
  if (selections == 0 && (invocation.jobs != 0 || invocation.fail_fast)) {
    throw UsageError(std::string{invocation.jobs != 0 ? "--jobs" : "--fail-fast"} +
                     " needs a fleet: --each-database, --each-schema or --urls-file");
  }
}

}  // namespace

std::chrono::milliseconds parse_duration(std::string_view text, std::string_view option) {
  const auto bad = [&] {
    return UsageError("--" + std::string{option} + ": '" + std::string{text} +
                      "' is not a duration (examples: 30s, 500ms, 2m, 1h)");
  };
  std::uint64_t number = 0;
  const auto [rest, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{} || number > 100'000'000U)
    throw bad();
  const std::string_view unit{rest, static_cast<std::size_t>(text.data() + text.size() - rest)};
  const auto n = static_cast<std::int64_t>(number);
  std::chrono::milliseconds value{0};
  if (unit.empty() || unit == "s")
    value = std::chrono::seconds{n};
  else if (unit == "ms")
    value = std::chrono::milliseconds{n};
  else if (unit == "m" || unit == "min")
    value = std::chrono::minutes{n};
  else if (unit == "h")
    value = std::chrono::hours{n};
  else
    throw bad();
  // Waits add the duration to the steady clock (64-bit nanoseconds, about 292 years): a longer one
  // would wrap around and give up at once.
  constexpr std::chrono::hours longest{24 * 365 * 100};
  if (value > longest) {
    throw UsageError("--" + std::string{option} + ": '" + std::string{text} +
                     "' is too long (at most " + std::to_string(longest.count()) + "h, 100 years)");
  }
  return value;
}

Invocation parse_command_line(int argc, const char* const* argv, const Host& host) {
  po::options_description all = every_option(host);
  po::options_description hidden;
  hidden.add_options()("version,V", "")("command", po::value<std::string>())(
      "arguments", po::value<std::vector<std::string>>());
  all.add(hidden);
  po::positional_options_description positional;
  positional.add("command", 1).add("arguments", -1);

  po::variables_map values;
  try {
    po::store(
        po::command_line_parser(argc, argv)
            .options(all)
            .positional(positional)
            .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
            .run(),
        values);
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(error.what());
  }

  Invocation invocation;
  invocation.help = values.count("help") != 0U;
  invocation.version = values.count("version") != 0U;
  if (values.count("arguments") != 0U)
    invocation.arguments = values["arguments"].as<std::vector<std::string>>();
  if (values.count("command") != 0U) {
    std::string name = string_value(values, "command");
    if (name == "version") {
      invocation.version = true;
      return invocation;
    }
    if (name == "help") {  // `help [COMMAND]`
      invocation.help = true;
      if (invocation.arguments.empty())
        return invocation;
      name = invocation.arguments.front();
      invocation.arguments.erase(invocation.arguments.begin());
    }
    invocation.spec = find_command(name);
    if (invocation.spec == nullptr)
      invocation.host_command = find_host_command(host, name);
    if (invocation.spec == nullptr && invocation.host_command == nullptr)
      throw UsageError("unknown command '" + name + "'");
  }
  if (invocation.help || invocation.version)
    return invocation;
  if (invocation.host_command != nullptr) {
    if (invocation.host_command->reads_environment)
      apply_environment(values, command_options(host, *invocation.host_command));
    parse_host_command(values, host, *invocation.host_command, invocation);
    return invocation;
  }
  if (invocation.spec == nullptr)
    throw UsageError("no command given");
  const CommandSpec& spec = *invocation.spec;
  const std::string default_table =
      host.history_table.empty() ? std::string{default_history_table} : host.history_table;
  invocation.table = default_table;
  const bool table_on_command_line = values.count("table") != 0U;
  apply_environment(values, command_options(host, spec));
  if (invocation.arguments.size() > (spec.argument.empty() ? 0U : 1U)) {
    throw UsageError(std::string{spec.name} + " takes " +
                     (spec.argument.empty() ? std::string{"no arguments"}
                                            : "one argument, " + std::string{spec.argument}) +
                     " (got '" + invocation.arguments.back() + "')");
  }

  for (const auto& given : values) {
    const std::string& name = given.first;
    if (given.second.defaulted() || name == "command")
      continue;
    if (name == "arguments")
      continue;
    const std::uint32_t bit = option_bit(name);
    const bool host_option = names(host.options, name);
    const bool builtin_option = name == "version" || is_builtin_option(name);
    if ((bit != 0 && (spec.options & bit) == 0U) || (host_option && !spec.needs_set) ||
        (!host_option && !builtin_option)) {
      throw UsageError("'--" + name + "' is not an option of " + std::string{spec.name});
    }
  }

  take_if_given(values, "url", invocation.url);
  take_if_given(values, "table", invocation.table);
  if (values.count("lock-timeout") != 0U) {
    invocation.lock_timeout = parse_duration(string_value(values, "lock-timeout"), "lock-timeout");
  }
  if (values.count("statement-lock-timeout") != 0U) {
    invocation.statement_lock_timeout =
        parse_duration(string_value(values, "statement-lock-timeout"), "statement-lock-timeout");
  }
  invocation.allow_drift = values.count("allow-drift") != 0U;
  invocation.allow_unknown = values.count("allow-unknown") != 0U;
  invocation.allow_out_of_order = values.count("allow-out-of-order") != 0U;
  invocation.refuse_future = values.count("refuse-future") != 0U;
  if (invocation.refuse_future && invocation.allow_unknown)
    throw UsageError("--refuse-future and --allow-unknown exclude each other");
  invocation.json = values.count("json") != 0U;
  invocation.verbose = values.count("verbose") != 0U;
  invocation.quiet = values.count("quiet") != 0U;
  if (invocation.verbose && invocation.quiet)
    throw UsageError("--verbose and --quiet exclude each other");
  take_if_given(values, "to", invocation.to);
  if (values.count("steps") != 0U) {
    invocation.steps = positive_number(string_value(values, "steps"), "steps");
  }
  invocation.all = values.count("all") != 0U;
  if ((invocation.steps ? 1 : 0) + (invocation.to ? 1 : 0) + (invocation.all ? 1 : 0) > 1)
    throw UsageError("give one of --steps, --to or --all");
  take_if_given(values, "mark-applied", invocation.mark_applied);
  take_if_given(values, "forget", invocation.forget);
  take_if_given(values, "mark-rolled-back", invocation.mark_rolled_back);
  if (spec.command == Command::resolve && (invocation.mark_applied ? 1 : 0) +
                                                  (invocation.forget ? 1 : 0) +
                                                  (invocation.mark_rolled_back ? 1 : 0) !=
                                              1) {
    throw UsageError(
        "resolve needs exactly one of --mark-applied VERSION, --forget VERSION or "
        "--mark-rolled-back VERSION");
  }
  if (values.count("timeout") != 0U) {
    invocation.timeout = parse_duration(string_value(values, "timeout"), "timeout");
  }
  take_if_given(values, "file", invocation.file);
  if (!invocation.arguments.empty()) {
    if (values.count("file") != 0U)
      throw UsageError("give the file either as " + std::string{spec.argument} + " or --file");
    invocation.file = invocation.arguments.front();
  }
  if (values.count("dump-schema") != 0U) {
    invocation.dump_schema = true;
    invocation.file = string_value(values, "dump-schema");
  }
  invocation.wait = values.count("wait") != 0U;
  if (values.count("wait-timeout") != 0U) {
    invocation.wait_timeout = parse_duration(string_value(values, "wait-timeout"), "wait-timeout");
  }
  invocation.exit_code = values.count("exit-code") != 0U;
  parse_fleet_options(values, invocation);
  for (auto [name, field] : {std::pair{"scratch-url", &invocation.scratch_url},
                             std::pair{"scratch-dir", &invocation.scratch_dir},
                             std::pair{"write-schema", &invocation.write_schema},
                             std::pair{"check-schema", &invocation.check_schema}}) {
    take_if_given(values, name, *field);
  }
  if (spec.command == Command::adopt) {
    // --table names the other tool's table here; strata's own is --into, else STRATA_TABLE.
    if (table_on_command_line) {
      invocation.foreign_table = string_value(values, "table");
      const char* configured = std::getenv("STRATA_TABLE");
      invocation.table = configured != nullptr && *configured != '\0' ? configured : default_table;
    }
    take_if_given(values, "into", invocation.table);
    take_if_given(values, "from", invocation.from);
    take_if_given(values, "baseline", invocation.baseline);
    invocation.force = values.count("force") != 0U;
    if (invocation.baseline && (invocation.from || !invocation.foreign_table.empty()))
      throw UsageError("give either --baseline VERSION or --from TOOL/--table NAME, not both");
  }

  for (const HostOption& option : host.options)
    invocation.host_values.emplace_back(long_name(option), values_of(values, option));
  return invocation;
}

}  // namespace strata::cli
