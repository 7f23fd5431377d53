// The commands that change the database: up, down/rollback, redo, resolve. Progress comes from
// the migrator's events (one line per migration with its duration); a summary line ends the run.
#include <algorithm>
#include <array>
#include <chrono>
#include <compare>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <strata/version_order.hpp>

#include "commands.hpp"
#include "json.hpp"

namespace strata::cli {
namespace {

void require_version(const std::string& version, std::string_view option) {
  if (!is_valid_version(version)) {
    throw UsageError("--" + std::string{option} + ": '" + version +
                     "' is not a migration version (digits, optionally separated by '-', '.' or "
                     "'_', e.g. 20240101120000)");
  }
}

using Clock = std::chrono::steady_clock;

void write_steps(JsonWriter& json, const std::vector<RunReport::Step>& steps) {
  json.key("steps").begin_array();
  for (const RunReport::Step& step : steps) {
    json.begin_object();
    json.key("kind").value(kind_name(step.kind));
    json.key("version").string_or_null(step.version);
    json.key("name").value(step.name);
    json.key("revision").value(static_cast<std::int64_t>(step.revision));
    json.key("duration_ms").value(static_cast<std::int64_t>(step.duration.count()));
    json.end_object();
  }
  json.end_array();
}

void write_report(JsonWriter& json, const RunReport& report) {
  json.begin_object();
  write_steps(json, report.steps);
  json.key("total_ms").value(static_cast<std::int64_t>(report.total.count()));
  json.key("ahead").begin_array();
  for (const std::string& version : report.ahead)
    json.value(version);
  json.end_array().end_object();
}

// The steps done so far with `verb` ("Applied", "Rolled back"), from the context's events.
std::vector<RunReport::Step> done_with(const Context& context, std::string_view verb) {
  std::vector<RunReport::Step> steps;
  for (const Context::Done& done : context.done()) {
    if (done.verb == verb)
      steps.push_back(done.step);
  }
  return steps;
}

// `"failed"` (the migration under way when the error came, or null) and `"error"`.
void write_failure(JsonWriter& json, const Context& context, std::exception_ptr thrown) {
  json.key("failed");
  if (const std::optional<Event>& event = context.under_way()) {
    json.begin_object();
    json.key("kind").value(kind_name(event->kind));
    json.key("version").string_or_null(event->version);
    json.key("name").value(event->name);
    json.key("revision").value(static_cast<std::int64_t>(event->revision));
    json.end_object();
  } else {
    json.null();
  }
  json.key("error").begin_object();
  try {
    std::rethrow_exception(thrown);
  } catch (const SqlError& error) {
    const SqlError::Fields& fields = error.fields();
    json.key("type").value("sql").key("message").value(error.what());
    json.key("sqlstate").string_or_null(fields.sqlstate);
    json.key("statement").string_or_null(fields.statement);
    json.key("file").string_or_null(fields.source.path);
    json.key("line").value(static_cast<std::int64_t>(fields.source.line));
    json.key("column").value(static_cast<std::int64_t>(fields.source.column));
  } catch (const RefusedError& error) {
    json.key("type").value("refused").key("message").value(error.what());
    json.key("versions").begin_array();
    for (const std::string& version : error.versions())
      json.value(version);
    json.end_array();
  } catch (const LockTimeoutError& error) {
    json.key("type").value("lock_timeout").key("message").value(error.what());
  } catch (const ConfigurationError& error) {
    json.key("type").value("configuration").key("message").value(error.what());
  } catch (const std::exception& error) {
    json.key("type").value("error").key("message").value(error.what());
  }
  json.end_object();
}

// Runs `work`; with --json, when it throws, first prints the one document the command promises:
// what was done before the error, what failed, and the error; then lets the error go on to its
// stderr line and exit code. `redo` names its two phases.
template <typename Work>
int with_json_on_failure(Context& context, bool phases, Work work) {
  const auto start = Clock::now();
  try {
    return work();
  } catch (const std::exception&) {
    if (!context.invocation().json)
      throw;
    JsonWriter json;
    json.begin_object();
    if (phases) {
      json.key("rolled_back").begin_object();
      write_steps(json, done_with(context, "Rolled back"));
      json.end_object().key("applied").begin_object();
      write_steps(json, done_with(context, "Applied"));
      json.end_object();
    } else {
      std::vector<RunReport::Step> steps;
      for (const Context::Done& done : context.done())
        steps.push_back(done.step);
      write_steps(json, steps);
    }
    json.key("total_ms")
        .value(static_cast<std::int64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count()));
    write_failure(json, context, std::current_exception());
    context.output().data(json.end_object().str());
    throw;
  }
}

std::string count_of(std::size_t n, std::string_view what) {
  return std::to_string(n) + " " + std::string{what} + (n == 1 ? "" : "s");
}

// "Applied 3 migrations and 1 routine in 45ms" / the given text when nothing happened.
std::string summary(const RunReport& report, std::string_view verb, std::string_view nothing) {
  if (report.steps.empty())
    return std::string{nothing};
  std::size_t routines = 0;
  for (const RunReport::Step& step : report.steps) {
    if (step.kind == MigrationKind::routine)
      ++routines;
  }
  const std::size_t migrations = report.steps.size() - routines;
  std::string text{verb};
  if (migrations != 0)
    text += " " + count_of(migrations, "migration");
  if (migrations != 0 && routines != 0)
    text += " and";
  if (routines != 0)
    text += " " + count_of(routines, "routine");
  return text + " in " + format_duration(report.total);
}

void finish(Context& context, const RunReport& report, std::string_view verb,
            std::string_view nothing) {
  std::string ahead;
  if (!report.ahead.empty()) {
    std::string versions;
    for (const std::string& version : report.ahead)
      versions += (versions.empty() ? "" : ", ") + version;
    const bool one = report.ahead.size() == 1;
    ahead = "Nothing applied: the database is ahead of this binary by " +
            count_of(report.ahead.size(), "migration") + " (" + versions + "); a newer release " +
            (one ? "applied it" : "applied them");
    nothing = ahead;
  }
  if (context.invocation().json) {
    JsonWriter json;
    write_report(json, report);
    context.output().data(json.str());
  } else {
    context.output().progress(summary(report, verb, nothing));
  }
}

// The newest applied versioned migration, or nullptr when none is applied.
const PlanEntry* newest_applied(const Plan& plan) {
  const PlanEntry* newest = nullptr;
  for (const PlanEntry& entry : plan.entries) {
    if (entry.kind != MigrationKind::migration || entry.applied_at.empty())
      continue;
    if (newest == nullptr || std::is_gt(compare_versions(entry.version, newest->version)))
      newest = &entry;
  }
  return newest;
}

// `up` on a database that does not exist yet creates it first, as dbmate does.
Migrator connect_creating_database(Context& context) {
  try {
    return context.migrator();
  } catch (const ConnectionError&) {
    if (!create_missing_database(context))
      throw;
  }
  return context.migrator();
}

// Rolls back the newest migration and applies it again.
int redo(Context& context) {
  Migrator migrator = context.migrator();
  const Plan plan = migrator.plan();
  const PlanEntry* newest = newest_applied(plan);
  if (newest != nullptr && !newest->position) {
    // Rolled back, it could not be applied again: this binary does not have it.
    throw ConfigurationError("redo: the newest applied migration, " + newest->version + " (" +
                             newest->name +
                             "), is not in this program's migrations; nothing was rolled back");
  }
  const std::string version = newest == nullptr ? std::string{} : newest->version;
  if (version.empty()) {
    if (context.invocation().json) {
      context.output().data("{\"rolled_back\":null,\"applied\":null}\n");
    } else {
      context.output().progress("Nothing to redo: no migration is applied");
    }
    return exit_ok;
  }
  context.set_verb("Rolled back");
  const RunReport down = migrator.down(1);
  context.set_verb("Applied");
  const RunReport up = migrator.up(version);
  if (context.invocation().json) {
    JsonWriter json;
    json.begin_object().key("rolled_back");
    write_report(json, down);
    json.key("applied");
    write_report(json, up);
    context.output().data(json.end_object().str());
  } else {
    context.output().progress("Redid " + version + " in " + format_duration(down.total + up.total));
  }
  return exit_ok;
}

}  // namespace

int up_command(Context& context) {
  const Invocation& invocation = context.invocation();
  if (invocation.to)
    require_version(*invocation.to, "to");
  return with_json_on_failure(context, false, [&] {
    Migrator migrator = connect_creating_database(context);
    context.set_verb("Applied");
    const RunReport report = invocation.to ? migrator.up(*invocation.to) : migrator.up();
    finish(context, report, "Applied", "Nothing to apply: the database is up to date");
    return exit_ok;
  });
}

int down_command(Context& context) {
  const Invocation& invocation = context.invocation();
  if (invocation.to)
    require_version(*invocation.to, "to");
  return with_json_on_failure(context, false, [&] {
    Migrator migrator = context.migrator();
    context.set_verb("Rolled back");
    const RunReport report = invocation.all  ? migrator.down_all()
                             : invocation.to ? migrator.down_to(*invocation.to)
                                             : migrator.down(invocation.steps.value_or(1));
    finish(context, report, "Rolled back", "Nothing to roll back");
    return exit_ok;
  });
}

int redo_command(Context& context) {
  return with_json_on_failure(context, true, [&] { return redo(context); });
}

int resolve_command(Context& context) {
  const Invocation& invocation = context.invocation();
  struct Choice {
    const std::optional<std::string>& version;
    const char* option;
    Resolution how;
    const char* done;  // what the progress line says after the version
  };
  const std::array<Choice, 3> choices{{
      {invocation.mark_applied, "mark-applied", Resolution::mark_applied, " is marked applied"},
      {invocation.forget, "forget", Resolution::forget,
       ": its failed run is forgotten; the next up applies it again"},
      {invocation.mark_rolled_back, "mark-rolled-back", Resolution::mark_rolled_back,
       " is marked rolled back; the next up applies it again"},
  }};
  const Choice& choice = *std::find_if(choices.begin(), choices.end(),
                                       [](const Choice& c) { return c.version.has_value(); });
  const std::string& version = *choice.version;
  require_version(version, choice.option);
  Migrator migrator = context.migrator();
  migrator.resolve(version, choice.how);
  context.output().progress(version + choice.done);
  return exit_ok;
}

}  // namespace strata::cli
