// Parses a strata command line with Boost.Program_options. All options are parsed against their
// union so that an option given to the wrong command gets a message naming the command, not
// Boost's generic "unrecognised option".
#include "command_line.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace strata::cli {
namespace {

constexpr std::uint32_t read_options = option_json | option_migrator;

const std::vector<CommandSpec> k_commands{
    {Command::status, "status", "Show every migration and routine: applied, pending, drifted, ...",
     read_options, true},
    {Command::up, "up", "Apply pending migrations, then every routine whose body changed",
     read_options | option_to, true},
    {Command::down, "down", "Roll back the newest migration, N of them, or down to a version",
     read_options | option_steps | option_to, true},
    {Command::rollback, "rollback", "Roll back the newest migration (down --steps 1)", read_options,
     true},
    {Command::redo, "redo", "Roll back the newest migration and apply it again", read_options,
     true},
    {Command::verify, "verify", "Check the database against the migrations; exit 3 when refused",
     read_options, true},
    {Command::plan, "plan", "Print exactly the SQL `up` would send (history writes included)",
     read_options, true},
    {Command::history, "history", "What the database has applied, oldest first", read_options,
     true},
    {Command::resolve, "resolve", "Settle a failed non-transactional migration",
     option_migrator | option_resolution, true},
    {Command::wait, "wait", "Wait until the server accepts connections", option_timeout, false},
    {Command::create, "create", "Create the database named in the URL", 0, false},
    {Command::drop, "drop", "Drop the database named in the URL", 0, false},
    {Command::dump, "dump", "Write the schema (pg_dump --schema-only) to a file", option_file,
     false},
};

po::options_description common_options() {
  po::options_description d{"Options"};
  d.add_options()  //
      ("url", po::value<std::string>()->value_name("URL"),
       "database URL or key=value string (default: $DATABASE_URL, else libpq's PG* variables)")  //
      ("verbose,v", "say more: connection, lock, each migration as it starts")                   //
      ("quiet,q", "print only errors and the data asked for")                                    //
      ("help,h", "show this help");
  return d;
}

po::options_description migrator_options() {
  po::options_description d{"Migration options"};
  d.add_options()  //
      ("table", po::value<std::string>()->value_name("NAME"),
       "history table, optionally schema-qualified (default: strata_migrations)")  //
      ("lock-timeout", po::value<std::string>()->value_name("DURATION"),
       "how long to wait for another migrating process (default: 60s)")                  //
      ("allow-drift", "run even though an applied migration's checksum changed")         //
      ("allow-unknown", "run even though the database has versions this program lacks")  //
      ("allow-out-of-order", "apply pending versions older than the newest applied one");
  return d;
}

po::options_description specific_options(std::uint32_t bits, std::optional<Command> command = {}) {
  po::options_description d{"Command options"};
  if ((bits & option_json) != 0U)
    d.add_options()("json", "machine-readable output (see README)");
  if ((bits & option_to) != 0U) {
    const char* what = !command ? "up: apply up to VERSION; down: roll back what came after it"
                       : *command == Command::up
                           ? "apply pending migrations up to and including VERSION"
                           : "roll back every migration newer than VERSION, and the routine "
                             "revisions applied after it (0 = everything)";
    d.add_options()("to", po::value<std::string>()->value_name("VERSION"), what);
  }
  if ((bits & option_steps) != 0U) {
    d.add_options()("steps", po::value<std::string>()->value_name("N"),
                    "roll back the N newest migrations (default 1)");
  }
  if ((bits & option_resolution) != 0U) {
    d.add_options()  //
        ("mark-applied", po::value<std::string>()->value_name("VERSION"),
         "the failed migration did take effect: record it as applied")  //
        ("forget", po::value<std::string>()->value_name("VERSION"),
         "it did not: remove its failed row so the next `up` runs it again");
  }
  if ((bits & option_timeout) != 0U) {
    d.add_options()("timeout", po::value<std::string>()->value_name("DURATION"),
                    "give up after DURATION (default: 60s)");
  }
  if ((bits & option_file) != 0U) {
    d.add_options()("file", po::value<std::string>()->value_name("FILE"),
                    "where to write the schema (default: db/schema.sql)");
  }
  return d;
}

po::options_description host_options(const Host& host) {
  po::options_description d{"Migration source"};
  for (const HostOption& option : host.options) {
    if (option.repeatable) {
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

std::string long_name(const HostOption& option) {
  return option.name.substr(0, option.name.find(','));
}

const CommandSpec* find_command(std::string_view name) {
  const auto it = std::find_if(k_commands.begin(), k_commands.end(),
                               [&](const CommandSpec& spec) { return spec.name == name; });
  return it == k_commands.end() ? nullptr : &*it;
}

// Which option bit a parsed option name belongs to; 0 for the common ones.
std::uint32_t option_bit(std::string_view name) {
  if (name == "json")
    return option_json;
  if (name == "to")
    return option_to;
  if (name == "steps")
    return option_steps;
  if (name == "mark-applied" || name == "forget")
    return option_resolution;
  if (name == "timeout")
    return option_timeout;
  if (name == "file")
    return option_file;
  if (name == "table" || name == "lock-timeout" || name.starts_with("allow-")) {
    return option_migrator;
  }
  return 0;
}

std::string string_value(const po::variables_map& values, const char* name) {
  return values[name].as<std::string>();
}

}  // namespace

const std::vector<CommandSpec>& command_specs() {
  return k_commands;
}

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
  if (unit.empty() || unit == "s")
    return std::chrono::seconds{n};
  if (unit == "ms")
    return std::chrono::milliseconds{n};
  if (unit == "m" || unit == "min")
    return std::chrono::minutes{n};
  if (unit == "h")
    return std::chrono::hours{n};
  throw bad();
}

Invocation parse_command_line(int argc, const char* const* argv, const Host& host) {
  po::options_description all;
  all.add(common_options()).add(migrator_options()).add(specific_options(~0U));
  all.add(host_options(host));
  po::options_description hidden;
  hidden.add_options()("version", "")("command", po::value<std::string>())(
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
  std::vector<std::string> arguments;
  if (values.count("arguments") != 0U)
    arguments = values["arguments"].as<std::vector<std::string>>();
  if (values.count("command") != 0U) {
    std::string name = string_value(values, "command");
    if (name == "help") {  // `help [COMMAND]`
      invocation.help = true;
      if (arguments.empty())
        return invocation;
      name = arguments.front();
      arguments.erase(arguments.begin());
    }
    invocation.spec = find_command(name);
    if (invocation.spec == nullptr)
      throw UsageError("unknown command '" + name + "'");
  }
  if (invocation.help || invocation.version)
    return invocation;
  if (invocation.spec == nullptr)
    throw UsageError("no command given");
  const CommandSpec& spec = *invocation.spec;
  if (!arguments.empty()) {
    throw UsageError(std::string{spec.name} + " takes no arguments (got '" + arguments.front() +
                     "')");
  }

  for (const auto& given : values) {
    const std::string& name = given.first;
    if (given.second.defaulted() || name == "command")
      continue;
    const std::uint32_t bit = option_bit(name);
    const bool host_option =
        std::any_of(host.options.begin(), host.options.end(),
                    [&](const HostOption& option) { return long_name(option) == name; });
    if ((bit != 0 && (spec.options & bit) == 0U) || (host_option && !spec.needs_set)) {
      throw UsageError("'--" + name + "' is not an option of " + std::string{spec.name});
    }
  }

  if (values.count("url") != 0U)
    invocation.url = string_value(values, "url");
  if (values.count("table") != 0U)
    invocation.table = string_value(values, "table");
  if (values.count("lock-timeout") != 0U) {
    invocation.lock_timeout = parse_duration(string_value(values, "lock-timeout"), "lock-timeout");
  }
  invocation.allow_drift = values.count("allow-drift") != 0U;
  invocation.allow_unknown = values.count("allow-unknown") != 0U;
  invocation.allow_out_of_order = values.count("allow-out-of-order") != 0U;
  invocation.json = values.count("json") != 0U;
  invocation.verbose = values.count("verbose") != 0U;
  invocation.quiet = values.count("quiet") != 0U;
  if (invocation.verbose && invocation.quiet)
    throw UsageError("--verbose and --quiet exclude each other");
  if (values.count("to") != 0U)
    invocation.to = string_value(values, "to");
  if (values.count("steps") != 0U) {
    const std::string text = string_value(values, "steps");
    std::size_t steps = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), steps);
    if (error != std::errc{} || end != text.data() + text.size() || steps == 0) {
      throw UsageError("--steps: '" + text + "' is not a positive number");
    }
    invocation.steps = steps;
  }
  if (invocation.steps && invocation.to)
    throw UsageError("give either --steps or --to, not both");
  if (values.count("mark-applied") != 0U)
    invocation.mark_applied = string_value(values, "mark-applied");
  if (values.count("forget") != 0U)
    invocation.forget = string_value(values, "forget");
  if (spec.command == Command::resolve &&
      (invocation.mark_applied.has_value() == invocation.forget.has_value())) {
    throw UsageError("resolve needs exactly one of --mark-applied VERSION or --forget VERSION");
  }
  if (values.count("timeout") != 0U) {
    invocation.timeout = parse_duration(string_value(values, "timeout"), "timeout");
  }
  if (values.count("file") != 0U)
    invocation.file = string_value(values, "file");

  for (const HostOption& option : host.options) {
    const std::string name = long_name(option);
    std::vector<std::string> given;
    if (values.count(name) != 0U) {
      if (option.repeatable) {
        given = values[name].as<std::vector<std::string>>();
      } else {
        given.push_back(values[name].as<std::string>());
      }
    } else if (!option.default_value.empty()) {
      given.push_back(option.default_value);
    }
    invocation.host_values.emplace_back(name, std::move(given));
  }
  return invocation;
}

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
    for (const CommandSpec& command : k_commands)
      line(command.name, command.summary);
    out << "\nRun '" << host.program << " <command> --help' for the options of a command.\n";
  } else {
    out << "Usage: " << host.program << ' ' << spec->name << " [options]\n\n"
        << spec->summary << ".\n\n";
    if (spec->options != 0U)
      out << specific_options(spec->options, spec->command) << '\n';
    if ((spec->options & option_migrator) != 0U)
      out << migrator_options() << '\n';
    if (spec->needs_set && !host.options.empty())
      out << host_options(host) << '\n';
  }
  out << common_options() << '\n'
      << "Environment: DATABASE_URL (used when --url is absent); PGHOST, PGPORT, PGUSER,\n"
         "PGPASSWORD, PGDATABASE (libpq's defaults); NO_COLOR (plain ASCII output).\n\n"
      << "Exit codes:\n"
         "  0  success\n"
         "  1  failure: SQL error, connection error, migrations that do not compile\n"
         "  2  usage or configuration error (unknown command or option, bad value)\n"
         "  3  refused: drift, unknown or out-of-order versions, a failed migration, no down SQL\n"
         "  4  timed out waiting for the migration lock\n";
  return out.str();
}

}  // namespace strata::cli
