// The commands that change the database: up, down/rollback, redo, resolve. Progress comes from
// the migrator's events (one line per migration with its duration); a summary line ends the run.
#include <compare>
#include <string>

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

void write_report(JsonWriter& json, const RunReport& report) {
  json.begin_object().key("steps").begin_array();
  for (const RunReport::Step& step : report.steps) {
    json.begin_object();
    json.key("kind").value(kind_name(step.kind));
    json.key("version").string_or_null(step.version);
    json.key("name").value(step.name);
    json.key("revision").value(static_cast<std::int64_t>(step.revision));
    json.key("duration_ms").value(static_cast<std::int64_t>(step.duration.count()));
    json.end_object();
  }
  json.end_array().key("total_ms").value(static_cast<std::int64_t>(report.total.count()));
  json.end_object();
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
  if (context.invocation().json) {
    JsonWriter json;
    write_report(json, report);
    context.output().data(json.str());
  } else {
    context.output().progress(summary(report, verb, nothing));
  }
}

// The newest applied versioned migration, or "" when none is applied.
std::string newest_applied(const Plan& plan) {
  std::string newest;
  for (const PlanEntry& entry : plan.entries) {
    if (entry.kind != MigrationKind::migration || entry.applied_at.empty())
      continue;
    if (newest.empty() || std::is_gt(compare_versions(entry.version, newest)))
      newest = entry.version;
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

}  // namespace

int up_command(Context& context) {
  const Invocation& invocation = context.invocation();
  if (invocation.to)
    require_version(*invocation.to, "to");
  Migrator migrator = connect_creating_database(context);
  context.set_verb("Applied");
  const RunReport report = invocation.to ? migrator.up(*invocation.to) : migrator.up();
  finish(context, report, "Applied", "Nothing to apply: the database is up to date");
  return exit_ok;
}

int down_command(Context& context) {
  const Invocation& invocation = context.invocation();
  if (invocation.to)
    require_version(*invocation.to, "to");
  Migrator migrator = context.migrator();
  context.set_verb("Rolled back");
  const RunReport report = invocation.all  ? migrator.down_all()
                           : invocation.to ? migrator.down_to(*invocation.to)
                                           : migrator.down(invocation.steps.value_or(1));
  finish(context, report, "Rolled back", "Nothing to roll back");
  return exit_ok;
}

int redo_command(Context& context) {
  Migrator migrator = context.migrator();
  const std::string version = newest_applied(migrator.plan());
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

int resolve_command(Context& context) {
  const Invocation& invocation = context.invocation();
  const bool mark = invocation.mark_applied.has_value();
  const std::string& version = mark ? *invocation.mark_applied : *invocation.forget;
  require_version(version, mark ? "mark-applied" : "forget");
  Migrator migrator = context.migrator();
  migrator.resolve(version, mark ? Resolution::mark_applied : Resolution::forget);
  context.output().progress(mark ? "Marked " + version + " as applied"
                                 : "Forgot the failed run of " + version +
                                       "; the next up applies it again");
  return exit_ok;
}

}  // namespace strata::cli
