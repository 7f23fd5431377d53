// The fleet: target selection (databases, schemas, a file of URLs) and the bounded parallel loop
// that runs one independent piece of work per target.
#include <algorithm>
#include <atomic>
#include <istream>
#include <mutex>
#include <thread>

#include <strata/fleet.hpp>

#include "pq/connection.hpp"
#include "pq/conninfo_text.hpp"
#include "text.hpp"

namespace strata {
namespace {

using Clock = std::chrono::steady_clock;

// libpq splits `options` at spaces and takes a backslash as an escape.
std::string escape_option_word(std::string_view word) {
  std::string out;
  for (const char c : word) {
    if (c == ' ' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

std::string server_of(const pq::Connection& conn) {
  const char* host = PQhost(conn.native());
  const char* port = PQport(conn.native());
  return std::string{host != nullptr ? host : "?"} + ":" + (port != nullptr ? port : "?");
}

std::vector<std::string> names_like(const std::string_view conninfo, const char* query,
                                    std::string_view pattern, std::string_view what) {
  pq::Connection conn{conninfo};
  const pq::Result result = conn.exec_params(query, {std::string{pattern}});
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row)
    names.emplace_back(result.text(row, 0));
  if (names.empty()) {
    throw ConfigurationError("no " + std::string{what} + " matches '" + std::string{pattern} +
                             "' on " + server_of(conn) + " (" + conn.describe() + ")");
  }
  return names;
}

TargetStatus status_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const RefusedError&) {
    return TargetStatus::refused;
  } catch (const LockTimeoutError&) {
    return TargetStatus::lock_timeout;
  } catch (...) {
    return TargetStatus::failed;
  }
}

}  // namespace

std::vector<FleetTarget> databases_like(std::string_view conninfo, std::string_view pattern) {
  const std::vector<std::string> names =
      names_like(conninfo,
                 "SELECT datname FROM pg_database WHERE datname LIKE $1 AND NOT datistemplate "
                 "AND datallowconn AND datname <> 'postgres' ORDER BY datname COLLATE \"C\"",
                 pattern, "database");
  std::vector<FleetTarget> targets;
  targets.reserve(names.size());
  for (const std::string& name : names)
    targets.push_back({name, pq::rewrite_conninfo(conninfo, {{"dbname", name}}), ""});
  return targets;
}

std::vector<FleetTarget> schemas_like(std::string_view conninfo, std::string_view pattern) {
  const std::vector<std::string> names = names_like(
      conninfo,
      "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 AND nspname NOT LIKE 'pg\\_%' "
      "AND nspname <> 'information_schema' ORDER BY nspname COLLATE \"C\"",
      pattern, "schema");
  const std::string options = pq::conninfo_value(conninfo, "options");
  std::vector<FleetTarget> targets;
  targets.reserve(names.size());
  for (const std::string& name : names) {
    const std::string search_path =
        "-c search_path=" + escape_option_word(detail::quote_identifier(name));
    targets.push_back(
        {name,
         pq::rewrite_conninfo(
             conninfo, {{"options", options.empty() ? search_path : options + " " + search_path}}),
         name});
  }
  return targets;
}

std::vector<FleetTarget> read_targets(std::istream& in, std::string_view source) {
  std::vector<FleetTarget> targets;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string_view text = detail::trim_blanks(line);
    if (text.empty() || text.front() == '#')
      continue;
    std::string error;
    if (!pq::parse_conninfo_options(text, error)) {
      // libpq's message may quote part of the line, and the line may hold a password.
      throw ConfigurationError(std::string{source} + ":" + std::to_string(number) +
                               ": not a connection URL or key=value string that libpq can "
                               "parse; write one target per line, # for comments");
    }
    targets.push_back({pq::redact(text), std::string{text}, ""});
  }
  if (in.bad())
    throw ConfigurationError(std::string{source} + ": cannot be read");
  if (targets.empty())
    throw ConfigurationError(std::string{source} + ": lists no target (one URL a line)");
  return targets;
}

MigratorOptions options_for(const FleetTarget& target, MigratorOptions base) {
  if (target.schema.empty())
    return base;
  if (base.history_table.find('.') != std::string::npos) {
    throw ConfigurationError("history table \"" + base.history_table +
                             "\": with one history per schema, give an unqualified name (it "
                             "is created in each tenant schema)");
  }
  base.history_table = detail::quote_identifier(target.schema) + "." + base.history_table;
  return base;
}

Migrator connect(const FleetTarget& target, const MigrationSet& set, MigratorOptions base) {
  return Migrator{target.conninfo, set, options_for(target, std::move(base))};
}

std::vector<TargetOutcome> for_each_target(
    const std::vector<FleetTarget>& targets, const FleetOptions& options,
    const std::function<void(const FleetTarget&)>& work,
    const std::function<void(const FleetTarget&, const TargetOutcome&)>& on_done) {
  std::vector<TargetOutcome> outcomes(targets.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i)
    outcomes[i].index = i;
  if (targets.empty())
    return outcomes;
  const std::size_t jobs =
      std::clamp<std::size_t>(options.jobs == 0 ? 4 : options.jobs, 1, targets.size());

  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex reporting;
  std::exception_ptr callback_error;
  const auto report = [&](std::size_t i) {
    const std::scoped_lock lock{reporting};
    if (!on_done || callback_error)
      return;
    try {
      on_done(targets[i], outcomes[i]);
    } catch (...) {
      callback_error = std::current_exception();
      stop = true;
    }
  };
  const auto worker = [&] {
    for (std::size_t i = next++; i < targets.size() && !stop; i = next++) {
      TargetOutcome& outcome = outcomes[i];
      const auto start = Clock::now();
      try {
        work(targets[i]);
        outcome.status = TargetStatus::ok;
      } catch (...) {
        outcome.error = std::current_exception();
        outcome.status = status_of(outcome.error);
        if (options.fail_fast)
          stop = true;
      }
      outcome.duration =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      report(i);
    }
  };
  {
    std::vector<std::jthread> threads;
    threads.reserve(jobs);
    for (std::size_t t = 0; t < jobs; ++t)
      threads.emplace_back(worker);
  }
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].status == TargetStatus::not_started)
      report(i);
  }
  if (callback_error)
    std::rethrow_exception(callback_error);
  return outcomes;
}

FleetUpResult up_each(const std::vector<FleetTarget>& targets, const MigrationSet& set,
                      const MigratorOptions& migrator_options, const FleetOptions& options,
                      const std::function<void(const FleetTarget&, const TargetOutcome&,
                                               const RunReport&)>& on_done) {
  FleetUpResult result;
  result.reports.resize(targets.size());
  const auto index_of = [&targets](const FleetTarget& target) {
    return static_cast<std::size_t>(&target - targets.data());
  };
  result.outcomes = for_each_target(
      targets, options,
      [&](const FleetTarget& target) {
        MigratorOptions per_target = migrator_options;
        per_target.on_event = {};  // events from N threads at once would interleave
        Migrator migrator = connect(target, set, std::move(per_target));
        result.reports[index_of(target)] = migrator.up();
      },
      [&](const FleetTarget& target, const TargetOutcome& outcome) {
        if (on_done)
          on_done(target, outcome, result.reports[index_of(target)]);
      });
  return result;
}

}  // namespace strata
