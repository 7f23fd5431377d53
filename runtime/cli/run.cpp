// strata::cli::run — parse, dispatch, and turn every error into one line and an exit code.
#include <cstdlib>
#include <exception>
#include <future>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include <strata/cli.hpp>
#include <strata/error.hpp>

#include "advice.hpp"
#include "commands.hpp"
#include "conninfo.hpp"
#include "env_file.hpp"
#include "host.hpp"
#include "pq/connection.hpp"
#include "pq/conninfo.hpp"

namespace strata::cli {

Context::Context(const Invocation& invocation, const Host& host, Output& output)
    : m_invocation(invocation),
      m_host(host),
      m_output(output),
      m_conninfo(effective_conninfo(invocation.url)) {}

std::string Context::redacted() const {
  return m_conninfo.empty() ? std::string{"the PG* default server"} : pq::redact(m_conninfo);
}

const MigrationSet& Context::set() {
  if (m_set == nullptr) {
    if (!m_host.load)
      throw ConfigurationError("this program has no migrations to load");
    m_set = m_host.load(m_invocation.host_values,
                        m_invocation.spec != nullptr ? m_invocation.spec->set_use : SetUse::read);
    if (m_set == nullptr)
      throw LoadFailed{};
  }
  return *m_set;
}

Migrator Context::migrator() {
  return make_migrator(migrator_options());
}

Migrator Context::surveying_migrator() {
  if (!m_host.survey)
    return migrator();
  MigratorOptions options = migrator_options();
  options.prepare = [this](std::span<const std::size_t> positions) {
    HostSurvey survey = m_host.survey(positions);
    m_checked += survey.checked;
    for (auto& [position, error] : survey.not_compiling) {
      const Migration migration = (*m_set)[position];
      m_not_compiling.push_back(NotCompiling{migration.kind, std::string{migration.version},
                                             std::string{migration.name}, std::move(error)});
    }
  };
  return make_migrator(std::move(options), true);
}

namespace {

struct Connected {
  pq::Connection connection;
  std::optional<HistoryRead> history;
};

}  // namespace

Migrator Context::make_migrator(MigratorOptions options, bool read_history_ahead) {
  // The tool spends about as long reading a large folder as the server spends starting a session
  // and a new session spends reading the history, and neither needs the other: connect (and
  // read) on another thread while the host reads. A folder that does not load is still the error
  // reported (after the connection attempt ends, unused).
  std::optional<std::future<Connected>> connecting;
  if (std::string error; m_set == nullptr && m_host.load_reads_files &&
                         pq::parse_conninfo_options(m_conninfo, error)) {
    connecting = std::async(
        std::launch::async,
        [this, read_history_ahead, name = options.application_name, table = options.history_table] {
          Connected connected{pq::Connection{m_conninfo, name}, std::nullopt};
          if (read_history_ahead)
            connected.history.emplace(BorrowedConnection{connected.connection.native()}, table);
          return connected;
        });
  }
  const MigrationSet& migrations = set();
  m_output.note("database: " + redacted() + ", history table: " + m_invocation.table);
  // A string libpq cannot parse is the user's mistake (exit 2), not a connection failure.
  static_cast<void>(parse_conninfo(m_conninfo));
  if (!connecting)
    return Migrator{m_conninfo, migrations, std::move(options)};
  Connected connected = connecting->get();
  const pq::Connection& connection = m_connections.emplace_back(std::move(connected.connection));
  m_history_read = std::move(connected.history);
  return Migrator{BorrowedConnection{connection.native()}, migrations, std::move(options)};
}

Plan Context::plan(Migrator& migrator) {
  if (!m_history_read)
    return migrator.plan();
  HistoryRead read = std::move(*m_history_read);
  m_history_read.reset();
  return migrator.plan(std::move(read));
}

MigratorOptions Context::migrator_options() {
  MigratorOptions options;
  options.history_table = m_invocation.table;
  options.lock_timeout = m_invocation.lock_timeout;
  options.statement_lock_timeout = m_invocation.statement_lock_timeout;
  options.allow_drift = m_invocation.allow_drift;
  options.allow_unknown = m_invocation.allow_unknown;
  options.allow_out_of_order = m_invocation.allow_out_of_order;
  options.refuse_future = m_invocation.refuse_future;
  options.on_event = [this](const Event& event) {
    if (event.type == Event::Type::migration_started) {
      m_under_way = event;
    } else if (event.type == Event::Type::migration_finished) {
      m_under_way.reset();
      m_done.push_back(Done{m_verb, RunReport::Step{event.kind, event.version, event.name,
                                                    event.revision, event.duration}});
    }
    m_output.event(event, m_verb);
  };
  if (m_host.prepare) {
    options.prepare = [this](std::span<const std::size_t> positions) {
      const std::optional<std::size_t> checked = m_host.prepare(positions);
      if (!checked)
        throw LoadFailed{};
      m_checked += *checked;
    };
  }
  return options;
}

void Context::note_checks() {
  if (m_set == nullptr || !m_host.prepare)
    return;
  m_output.note("checked the SQL of " + std::to_string(m_checked) + " of " +
                std::to_string(m_set->size()) +
                " migrations (those applied unchanged were checked when they were applied)");
  if (m_host.reading_note)
    m_output.note(m_host.reading_note());
}

namespace {

int run_command(Context& context) {
  switch (context.invocation().spec->command) {
    case Command::status:
      return status_command(context);
    case Command::up:
      return up_command(context);
    case Command::down:
    case Command::rollback:
      return down_command(context);
    case Command::redo:
      return redo_command(context);
    case Command::verify:
      return verify_command(context);
    case Command::plan:
      return plan_command(context);
    case Command::history:
      return history_command(context);
    case Command::resolve:
      return resolve_command(context);
    case Command::wait:
      return wait_command(context);
    case Command::create:
      return create_command(context);
    case Command::drop:
      return drop_command(context);
    case Command::dump:
      return dump_command(context);
    case Command::load:
      return load_command(context);
    case Command::completion:  // answered by run() without a context
    case Command::man:
      break;
    case Command::adopt:
      return adopt_command(context);
    case Command::replay:
      return replay_command(context);
  }
  return exit_failure;
}

}  // namespace

int dispatch(Context& context) {
  if (context.invocation().wait)
    wait_for_server(context, context.invocation().wait_timeout);
  const int code = run_command(context);
  // --dump-schema FILE (or STRATA_SCHEMA_FILE): the schema file follows every change, as dbmate's.
  if (code == exit_ok && context.invocation().dump_schema)
    return dump_command(context);
  return code;
}

namespace {

// "path:line:col: 42P01: relation "x" does not exist" — where first, as compilers print it.
void report_sql_error(Output& output, const SqlError& error) {
  const SqlError::Fields& fields = error.fields();
  std::string where;
  if (!fields.source.path.empty()) {
    where = fields.source.path + ":" + std::to_string(fields.source.line) + ":" +
            std::to_string(fields.source.column) + ": ";
  }
  std::string message = error.what();
  if (!where.empty() && message.find(fields.source.path) != std::string::npos)
    where.clear();
  std::vector<std::string> extra;
  if (!fields.detail.empty() && message.find(fields.detail) == std::string::npos) {
    extra.push_back("detail: " + fields.detail);
  }
  if (!fields.hint.empty() && message.find(fields.hint) == std::string::npos) {
    extra.push_back("hint: " + fields.hint);
  }
  output.error(where + message, extra);
}

std::string base_name(const char* path) {
  const std::string text = path != nullptr ? path : "strata";
  return text.substr(text.find_last_of('/') + 1);
}

std::vector<std::string> secret_candidates(int argc, const char* const* argv) {
  std::vector<std::string> candidates(argv, argv + argc);
  for (const char* name : {"DATABASE_URL", "STRATA_SCRATCH_URL"}) {
    if (const char* url = std::getenv(name); url != nullptr)
      candidates.emplace_back(url);
  }
  return candidates;
}

}  // namespace

int run(int argc, const char* const* argv, const Host& host) {
  Host named = host;
  if (named.program.empty())
    named.program = base_name(argc > 0 ? argv[0] : nullptr);
  if (named.read_env_file) {
    try {
      load_env_file(".env");
    } catch (const ConfigurationError& error) {
      Output{std::cout, std::cerr, named.program, {}}.error(error.what());
      return exit_usage;
    }
  }
  Output output{std::cout, std::cerr, named.program, secrets_in(secret_candidates(argc, argv))};
  const std::string see_help = " (see '" + named.program + " --help')";
  return run_reporting_errors(output, see_help, [&]() -> int {
    const Invocation invocation = parse_command_line(argc, argv, named);
    output.set_verbosity(invocation.verbose, invocation.quiet, invocation.json);
    output.set_fancy(stdout_is_fancy());
    if (invocation.version) {
      output.data(version_text(named));
      return exit_ok;
    }
    if (invocation.help) {
      output.data(invocation.host_command != nullptr ? help_text(named, *invocation.host_command)
                                                     : help_text(named, invocation.spec));
      return exit_ok;
    }
    if (invocation.spec != nullptr && invocation.spec->command == Command::completion) {
      if (invocation.arguments.empty())
        throw UsageError("completion needs the shell: bash, zsh or fish");
      output.data(completion_script(named, invocation.arguments.front()));
      return exit_ok;
    }
    if (invocation.spec != nullptr && invocation.spec->command == Command::man) {
      output.data(man_page(named));
      return exit_ok;
    }
    if (invocation.host_command != nullptr) {
      if (!invocation.host_command->run)
        throw ConfigurationError(invocation.host_command->name + " is not implemented here");
      return invocation.host_command->run(invocation.host_values, invocation.arguments);
    }
    Context context{invocation, named, output};
    if (invocation.selects_fleet())
      return fleet_command(context);
    try {
      const int code = dispatch(context);
      context.note_checks();
      return code;
    } catch (const RefusedError& error) {
      output.error(error.what(), refusal_advice(error, named, invocation));
      return exit_refused;
    }
  });
}

int run_reporting_errors(Output& output, std::string_view see_help,
                         const std::function<int()>& body) {
  try {
    return body();
  } catch (const UsageError& error) {
    output.error(error.what() + std::string{see_help});
    return exit_usage;
  } catch (const LoadFailed&) {
    return exit_failure;  // the host printed the diagnostics
  } catch (const RefusedError& error) {
    output.error(error.what());
    return exit_refused;
  } catch (const LockTimeoutError& error) {
    output.error(error.what());
    return exit_lock_timeout;
  } catch (const ConfigurationError& error) {
    output.error(error.what());
    return exit_usage;
  } catch (const SqlError& error) {
    report_sql_error(output, error);
    return exit_failure;
  } catch (const Error& error) {
    output.error(error.what());
    return exit_failure;
  } catch (const std::bad_alloc&) {
    output.error("out of memory: give the process more memory");
    return exit_failure;
  } catch (const std::exception& error) {
    output.error(std::string{"unexpected: "} + error.what());
    return exit_failure;
  } catch (...) {
    output.error("unexpected error");
    return exit_failure;
  }
}

int run(int argc, const char* const* argv, const MigrationSet& set, std::string_view program) {
  Host host;
  host.program = std::string{program};
  host.history_table = std::string{set.history_table()};
  host.load = [&set](const HostValues&, SetUse) { return &set; };
  return run(argc, argv, host);
}

int migrate_on_start(const MigrationSet& set, std::string_view program, std::string_view conninfo) {
  const std::string name{program};
  const std::string url{conninfo};
  std::vector<const char*> argv{name.c_str(), "up"};
  if (!url.empty())
    argv.insert(argv.end(), {"--url", url.c_str()});
  return run(static_cast<int>(argv.size()), argv.data(), set, program);
}

int run(int argc, char** argv, const MigrationSet& set, std::string_view program) {
  return run(argc, const_cast<const char* const*>(argv), set, program);
}

}  // namespace strata::cli
