// The fleet: one command run on every selected database or schema, N at a time, each target's
// output captured and reported as it finishes, then one summary (or one JSON document).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <strata/fleet.hpp>

#include "commands.hpp"
#include "conninfo.hpp"
#include "json.hpp"

namespace strata::cli {
namespace {

std::vector<FleetTarget> select_targets(const Context& context) {
  const Invocation& invocation = context.invocation();
  if (invocation.each_database)
    return databases_like(context.conninfo(), *invocation.each_database);
  if (invocation.each_schema)
    return schemas_like(context.conninfo(), *invocation.each_schema);
  std::ifstream file{*invocation.urls_file};
  if (!file)
    throw ConfigurationError("--urls-file: cannot read " + *invocation.urls_file);
  return read_targets(file, *invocation.urls_file);
}

// What one target's run printed and how it ended.
struct TargetRun {
  std::string out;
  std::string err;
  int exit_code = exit_ok;
  std::size_t steps = 0;
};

// Thrown by a target's work so that for_each_target sees the failure (fail_fast).
struct TargetFailed {
  int exit_code;
};

std::string first_line(std::string_view text) {
  return std::string{text.substr(0, text.find('\n'))};
}

std::string indented(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::size_t stop = end == std::string_view::npos ? text.size() : end;
    out.append("  ").append(text.substr(start, stop - start)).append("\n");
    start = stop + 1;
  }
  return out;
}

std::string_view status_name(const TargetOutcome& outcome, const TargetRun& run) {
  if (outcome.status == TargetStatus::not_started)
    return "not_started";
  switch (run.exit_code) {
    case exit_ok:
      return "ok";
    case exit_refused:
      return "refused";
    case exit_lock_timeout:
      return "lock_timeout";
    default:
      return "failed";
  }
}

// The line a finished target gets in the text report.
std::string report_line(const Invocation& invocation, const FleetTarget& target,
                        const TargetOutcome& outcome, const TargetRun& run) {
  const std::string name = target.name;
  if (outcome.status == TargetStatus::not_started)
    return name + ": not started (--fail-fast)\n";
  const std::string took = " (" + format_duration(outcome.duration) + ")";
  const Command command = invocation.spec->command;
  const bool writes =
      command == Command::up || command == Command::down || command == Command::rollback;
  const std::string verb = command == Command::up ? "applied" : "rolled back";
  if (run.exit_code != exit_ok) {
    std::string error = run.err;
    const std::size_t marker = error.find(": error: ");
    if (marker != std::string::npos)
      error.erase(0, marker + 9);
    std::string line = name + ": " + std::string{status_name(outcome, run)} + took;
    if (writes && run.steps > 0)
      line += " after " + verb + " " + std::to_string(run.steps);
    line += ": " + first_line(error) + "\n";
    const std::size_t rest = error.find('\n');
    if (rest != std::string::npos && rest + 1 < error.size())
      line += error.substr(rest + 1);  // detail/hint lines, already indented
    return line;
  }
  if (writes) {
    return name + ": " +
           (run.steps == 0 ? std::string{"nothing to do"}
                           : verb + " " + std::to_string(run.steps)) +
           took + "\n";
  }
  return name + took + ":\n" + indented(run.out);
}

std::string summary_line(const Invocation& invocation, const std::vector<FleetTarget>& targets,
                         const std::vector<TargetOutcome>& outcomes,
                         const std::vector<TargetRun>& runs) {
  std::vector<std::string> by_status[4];  // ok, failed, refused, not started
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string_view status = status_name(outcomes[i], runs[i]);
    const std::size_t bucket = status == "ok"            ? 0
                               : status == "refused"     ? 2
                               : status == "not_started" ? 3
                                                         : 1;
    by_status[bucket].push_back(targets[i].name);
  }
  const bool up = invocation.spec->command == Command::up;
  std::string line = std::to_string(by_status[0].size()) + (up ? " migrated" : " ok");
  const char* labels[] = {"", "failed", "refused", "not started"};
  for (std::size_t bucket = 1; bucket < 4; ++bucket) {
    if (by_status[bucket].empty())
      continue;
    line += ", " + std::to_string(by_status[bucket].size()) + " " + labels[bucket] + ": ";
    for (std::size_t i = 0; i < by_status[bucket].size(); ++i)
      line += (i == 0 ? "" : ", ") + by_status[bucket][i];
  }
  return line + "\n";
}

std::string json_report(const Invocation& invocation, const std::vector<FleetTarget>& targets,
                        const std::vector<TargetOutcome>& outcomes,
                        const std::vector<TargetRun>& runs) {
  JsonWriter json;
  json.begin_object().key("command").value(invocation.spec->name).key("targets").begin_array();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const TargetRun& run = runs[i];
    json.begin_object()
        .key("target")
        .value(targets[i].name)
        .key("status")
        .value(status_name(outcomes[i], run))
        .key("exit_code")
        .value(static_cast<std::int64_t>(run.exit_code))
        .key("duration_ms")
        .value(static_cast<std::int64_t>(outcomes[i].duration.count()))
        .key("result");
    if (run.out.find_first_not_of(" \n") == std::string::npos)
      json.null();
    else
      json.raw(run.out);
    std::string error = run.err;
    if (const std::size_t marker = error.find(": error: "); marker != std::string::npos)
      error.erase(0, marker + 9);
    json.key("error").string_or_null(first_line(error)).end_object();
  }
  json.end_array().end_object();
  return json.str();
}

}  // namespace

int fleet_command(Context& context) {
  const Invocation& invocation = context.invocation();
  const std::vector<FleetTarget> targets = select_targets(context);
  const MigrationSet& set = context.set();  // loaded once, before the workers start

  Host target_host = context.host();
  target_host.load = [&set](const HostValues&, SetUse) { return &set; };
  target_host.reading_note = nullptr;
  target_host.load_reads_files = false;
  // A set checked on demand is completed here, whole: the workers share it, and each database may
  // need other migrations.
  if (target_host.prepare) {
    std::vector<std::size_t> every(set.size());
    for (std::size_t i = 0; i < every.size(); ++i)
      every[i] = i;
    if (!target_host.prepare(every))
      throw LoadFailed{};
    target_host.prepare = nullptr;
  }
  std::vector<Invocation> invocations(targets.size(), invocation);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    MigratorOptions options;
    options.history_table = invocation.table;
    invocations[i].table = options_for(targets[i], options).history_table;
    invocations[i].url = targets[i].conninfo;
    invocations[i].each_database.reset();
    invocations[i].each_schema.reset();
    invocations[i].urls_file.reset();
  }

  std::vector<TargetRun> runs(targets.size());
  const auto work = [&](const FleetTarget& target) {
    const auto i = static_cast<std::size_t>(&target - targets.data());
    std::ostringstream out;
    std::ostringstream err;
    Output output{out, err, target_host.program, secrets_in({context.conninfo(), target.conninfo})};
    output.set_verbosity(false, false, invocation.json);
    Context target_context{invocations[i], target_host, output};
    runs[i].exit_code = run_reporting_errors(output, "", [&] { return dispatch(target_context); });
    runs[i].out = out.str();
    runs[i].err = err.str();
    runs[i].steps = output.finished_steps();
    if (runs[i].exit_code != exit_ok)
      throw TargetFailed{runs[i].exit_code};
  };
  Output& output = context.output();
  const auto on_done = [&](const FleetTarget& target, const TargetOutcome& outcome) {
    if (!invocation.json)
      output.data(report_line(invocation, target, outcome, runs[outcome.index]));
  };
  const std::vector<TargetOutcome> outcomes =
      for_each_target(targets, {invocation.jobs, invocation.fail_fast}, work, on_done);

  if (invocation.json)
    output.data(json_report(invocation, targets, outcomes, runs));
  else
    output.data(summary_line(invocation, targets, outcomes, runs));
  int worst = exit_ok;
  for (const TargetRun& run : runs)
    worst = std::max(worst, run.exit_code);
  return worst;
}

}  // namespace strata::cli
