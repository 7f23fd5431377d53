// The read commands: status, history, verify (plan has its own file). Each prints text for people
// or, with --json, one JSON document whose shape docs/cli.md documents.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "json.hpp"
#include "text.hpp"
#include "utf8.hpp"

namespace strata::cli {
namespace {

// "2026-11-22 00:50:01.123456+00" → "2026-11-22 00:50:01+00": people need no microseconds.
std::string short_time(std::string_view time) {
  std::string out{time};
  const std::size_t dot = out.find('.', 10);
  if (dot == std::string::npos)
    return out;
  const std::size_t end = out.find_first_not_of("0123456789", dot + 1);
  out.erase(dot, (end == std::string::npos ? out.size() : end) - dot);
  return out;
}

std::string entry_name(const PlanEntry& entry, const MigrationSet& set) {
  std::string name = entry.position ? file_label(set[*entry.position])
                                    : display_name(entry.kind, entry.version, entry.name);
  if (entry.kind == MigrationKind::routine && entry.revision > 0) {
    name += "@" + std::to_string(entry.revision);
  }
  return name;
}

bool is_executed(const PlanEntry& entry) {
  return !entry.applied_at.empty() && entry.state != MigrationState::failed &&
         entry.state != MigrationState::running;
}

struct Totals {
  std::size_t total = 0, executed = 0, pending = 0, drifted = 0, unknown = 0, out_of_order = 0,
              failed = 0, outdated = 0, running = 0, ahead = 0, not_compiling = 0;
};

Totals totals_of(const Plan& plan) {
  Totals totals;
  for (const PlanEntry& entry : plan.entries) {
    ++totals.total;
    if (is_executed(entry))
      ++totals.executed;
    switch (entry.state) {
      case MigrationState::pending:
        ++totals.pending;
        break;
      case MigrationState::out_of_order:
        ++totals.pending, ++totals.out_of_order;
        break;
      case MigrationState::drifted:
        ++totals.drifted;
        break;
      case MigrationState::unknown:
        ++totals.unknown;
        break;
      case MigrationState::failed:
        ++totals.failed;
        break;
      case MigrationState::outdated:
        ++totals.outdated;
        break;
      case MigrationState::running:
        ++totals.running;
        break;
      case MigrationState::ahead:
        ++totals.ahead;
        break;
      case MigrationState::applied:
        break;
    }
  }
  return totals;
}

// "ahead of this binary by 2 migrations (a newer release applied them)".
std::string ahead_phrase(std::size_t ahead) {
  return "ahead of this binary by " + std::to_string(ahead) +
         (ahead == 1 ? " migration (a newer release applied it)"
                     : " migrations (a newer release applied them)");
}

std::string totals_line(const Totals& t) {
  std::string line = "Total: " + std::to_string(t.total) +
                     " | Executed: " + std::to_string(t.executed) +
                     " | Pending: " + std::to_string(t.pending);
  const auto add = [&](const char* label, std::size_t n) {
    if (n != 0)
      line += std::string{" | "} + label + ": " + std::to_string(n);
  };
  add("Drifted", t.drifted);
  add("Unknown", t.unknown);
  add("Out of order", t.out_of_order);
  add("Failed", t.failed);
  add("Outdated", t.outdated);
  add("Running", t.running);
  add("Not compiling", t.not_compiling);
  return line + "\n" + (t.ahead == 0 ? "" : "The database is " + ahead_phrase(t.ahead) + ".\n");
}

void write_totals(JsonWriter& json, const Totals& t) {
  const auto n = [](std::size_t v) { return static_cast<std::int64_t>(v); };
  json.key("totals").begin_object();
  json.key("total").value(n(t.total)).key("executed").value(n(t.executed));
  json.key("pending").value(n(t.pending)).key("drifted").value(n(t.drifted));
  json.key("unknown").value(n(t.unknown)).key("out_of_order").value(n(t.out_of_order));
  json.key("failed").value(n(t.failed)).key("outdated").value(n(t.outdated));
  json.key("running").value(n(t.running)).key("ahead").value(n(t.ahead));
  json.key("not_compiling").value(n(t.not_compiling));
  json.end_object();
}

// The first error of `entry`'s file when it does not compile (see Context::not_compiling), or
// nullptr.
const std::string* compile_error(const Context& context, const PlanEntry& entry) {
  if (!entry.position)
    return nullptr;
  for (const Context::NotCompiling& failure : context.not_compiling()) {
    if (failure.kind == entry.kind && failure.version == entry.version &&
        failure.name == entry.name)
      return &failure.error;
  }
  return nullptr;
}

void write_entry(JsonWriter& json, const PlanEntry& entry, const std::string* compile_error) {
  json.begin_object();
  json.key("kind").value(kind_name(entry.kind));
  json.key("version").string_or_null(entry.version);
  json.key("name").value(entry.name);
  json.key("state").value(state_name(entry.state));
  json.key("checksum").string_or_null(entry.checksum);
  json.key("applied_checksum").string_or_null(entry.applied_checksum);
  json.key("applied_at").string_or_null(entry.applied_at);
  json.key("applied_by").string_or_null(entry.applied_by);
  json.key("execution_ms").value(entry.execution_ms);
  json.key("revision").value(static_cast<std::int64_t>(entry.revision));
  json.key("failed_statement").string_or_null(entry.failed_statement);
  json.key("rollback").value(entry.rollback);
  json.key("statements_done").value(static_cast<std::int64_t>(entry.statements_done));
  json.key("adopted_from").string_or_null(entry.adopted_from);
  json.key("compile_error").string_or_null(compile_error != nullptr ? *compile_error : "");
  json.end_object();
}

// The line `status` adds for a database another tool migrated and strata has not taken over.
std::string foreign_line(const ForeignHistory& foreign, const std::string& program) {
  const std::string tool{tool_name(foreign.tool)};
  return "This database was migrated by " + tool + " (" + foreign.table + ", " +
         std::to_string(foreign.versions) + " version" + (foreign.versions == 1 ? "" : "s") +
         "): run `" + program + " adopt --from " + tool + "` to take it over\n";
}

// The status line of one entry of a plan of `set`: marker, name, then when it ran or why it has
// not.
std::string status_line(const PlanEntry& entry, const MigrationSet& set,
                        const std::string* compile_error, bool fancy) {
  struct Look {
    const char* emoji;
    const char* ascii;
    const char* note;
  };
  const bool routine = entry.kind == MigrationKind::routine;
  // "running: 2 statements done" / "rolling back: 1 statement of its down done".
  const std::string progress = std::string{entry.rollback ? "rolling back: " : "running: "} +
                               std::to_string(entry.statements_done) +
                               (entry.statements_done == 1 ? " statement" : " statements") +
                               (entry.rollback ? " of its down done" : " done");
  Look look{"✅", "[x]", ""};
  switch (entry.state) {
    case MigrationState::applied:
      break;
    case MigrationState::pending:
      look = {"⏸️", "[ ]", "pending"};
      break;
    case MigrationState::out_of_order:
      look = {"⏸️", "[ ]", "pending, out of order"};
      break;
    case MigrationState::drifted:
      look = {"❌", "[!]", "drifted: the file changed after it was applied"};
      break;
    case MigrationState::unknown:
      look = {"❓", "[?]", routine ? "no longer in source" : "unknown: not in these migrations"};
      break;
    case MigrationState::failed:
      look = {"❌", "[F]",
              entry.rollback ? "rollback failed part-way; see resolve"
                             : "failed part-way; see resolve"};
      break;
    case MigrationState::running:
      look = {"⏳", "[>]", progress.c_str()};
      break;
    case MigrationState::ahead:
      look = {"⏩", "[+]", "ahead of this binary: a newer release applied it"};
      break;
    case MigrationState::outdated:
      look = {"🔄", "[~]", "outdated: the file holds a newer body"};
      break;
  }
  // Not compiling outranks pending: it is what `up` will stop at.
  if (compile_error != nullptr)
    look = {"⛔", "[E]", ""};
  std::string line = std::string{fancy ? look.emoji : look.ascii} + " " + entry_name(entry, set);
  if (is_executed(entry)) {
    line += (entry.adopted_from.empty() ? "  Executed: "
                                        : "  Adopted from " + entry.adopted_from + ": ") +
            short_time(entry.applied_at);
    if (entry.execution_ms)
      line += " (" + std::to_string(*entry.execution_ms) + "ms)";
  }
  if (*look.note != '\0')
    line += std::string{"  ("} + look.note + ")";
  if (entry.state == MigrationState::failed && !entry.failed_statement.empty()) {
    line += " at: " + detail::printable(detail::cut_at_character(
                          detail::on_one_line(entry.failed_statement), 60));
  }
  if (compile_error != nullptr) {
    line += std::string{"  ("} + std::string{state_name(entry.state)} +
            ", does not compile)\n    " + *compile_error;
  }
  return line + "\n";
}

}  // namespace

std::string_view state_name(MigrationState state) noexcept {
  switch (state) {
    case MigrationState::applied:
      return "applied";
    case MigrationState::pending:
      return "pending";
    case MigrationState::drifted:
      return "drifted";
    case MigrationState::unknown:
      return "unknown";
    case MigrationState::out_of_order:
      return "out_of_order";
    case MigrationState::failed:
      return "failed";
    case MigrationState::outdated:
      return "outdated";
    case MigrationState::running:
      return "running";
    case MigrationState::ahead:
      return "ahead";
  }
  return "unknown";
}

std::string_view kind_name(MigrationKind kind) noexcept {
  return kind == MigrationKind::routine ? "routine" : "migration";
}

int status_command(Context& context) {
  Migrator migrator = context.surveying_migrator();
  const Plan plan = context.plan(migrator);
  Totals totals = totals_of(plan);
  totals.not_compiling = context.not_compiling().size();
  const std::optional<ForeignHistory> foreign =
      totals.executed == 0 && totals.failed == 0 ? migrator.foreign_history() : std::nullopt;
  if (context.invocation().json) {
    JsonWriter json;
    json.begin_object().key("table").value(context.invocation().table);
    json.key("migrations").begin_array();
    for (const PlanEntry& entry : plan.entries)
      write_entry(json, entry, compile_error(context, entry));
    json.end_array();
    write_totals(json, totals);
    json.key("foreign_history");
    if (foreign) {
      json.begin_object().key("tool").value(tool_name(foreign->tool));
      json.key("table").value(foreign->table);
      json.key("versions").value(static_cast<std::int64_t>(foreign->versions));
      json.end_object();
    } else {
      json.null();
    }
    context.output().data(json.end_object().str());
  } else {
    std::string text;
    for (const PlanEntry& entry : plan.entries)
      text += status_line(entry, context.set(), compile_error(context, entry),
                          context.output().fancy());
    text += totals_line(totals);
    if (foreign)
      text += foreign_line(*foreign, context.program());
    context.output().data(text);
  }
  // The state is shown; the folder is still broken, and a script must not read this as success.
  if (totals.not_compiling != 0) {
    const std::size_t n = totals.not_compiling;
    context.output().error(std::to_string(n) + (n == 1 ? " migration does" : " migrations do") +
                           " not compile (marked above): up, verify and plan refuse the folder "
                           "until it does");
    return exit_failure;
  }
  // --exit-code (dbmate's): 1 when `up` has something to do, for CI. Ahead of this binary, up
  // applies nothing.
  const bool up_to_date = (totals.pending == 0 && totals.outdated == 0) ||
                          (totals.ahead != 0 && !context.invocation().refuse_future);
  return context.invocation().exit_code && !up_to_date ? exit_failure : exit_ok;
}

int history_command(Context& context) {
  Migrator migrator = context.migrator();
  const std::vector<HistoryEntry> rows = migrator.history();
  if (context.invocation().json) {
    JsonWriter json;
    json.begin_object().key("table").value(context.invocation().table);
    json.key("history").begin_array();
    for (const HistoryEntry& row : rows) {
      json.begin_object();
      json.key("id").value(row.id).key("run").value(row.run);
      json.key("kind").value(kind_name(row.kind));
      json.key("version").string_or_null(row.version);
      json.key("name").value(row.name);
      json.key("revision").value(static_cast<std::int64_t>(row.revision));
      json.key("checksum").string_or_null(row.checksum);
      json.key("state").value(to_string(row.state));
      json.key("has_down").value(row.has_down);
      json.key("applied_at").string_or_null(row.applied_at);
      json.key("applied_by").string_or_null(row.applied_by);
      json.key("execution_ms").value(row.execution_ms);
      json.key("failed_statement").string_or_null(row.failed_statement);
      json.key("error").string_or_null(row.error);
      json.key("adopted_from").string_or_null(row.adopted_from);
      json.end_object();
    }
    context.output().data(json.end_array().end_object().str());
    return exit_ok;
  }
  std::string text;
  for (const HistoryEntry& row : rows) {
    std::string name = display_name(row.kind, row.version, row.name);
    if (row.kind == MigrationKind::routine)
      name += "@" + std::to_string(row.revision);
    text += short_time(row.applied_at) + "  " + name;
    if (row.execution_ms)
      text += "  " + std::to_string(*row.execution_ms) + "ms";
    if (!row.applied_by.empty())
      text += "  by " + row.applied_by;
    if (row.state != RowState::applied)
      text += "  (" + std::string{to_string(row.state)} + ")";
    if (!row.adopted_from.empty())
      text += "  (adopted from " + row.adopted_from + ")";
    text += "\n";
  }
  if (rows.empty())
    text = "Nothing applied yet.\n";
  context.output().data(text);
  return exit_ok;
}

int verify_command(Context& context) {
  Migrator migrator = context.migrator();
  const bool json_output = context.invocation().json;
  try {
    const Plan plan = migrator.verify();
    const Totals totals = totals_of(plan);
    if (json_output) {
      JsonWriter json;
      json.begin_object().key("ok").value(true).key("refusal").null();
      json.key("versions").begin_array().end_array().key("message").null();
      write_totals(json, totals);
      context.output().data(json.end_object().str());
    } else {
      context.output().data(
          "OK: " + std::to_string(totals.executed) + " applied, " + std::to_string(totals.pending) +
          " pending" +
          (totals.running == 0 ? "" : ", " + std::to_string(totals.running) + " running") +
          "; no drift, no unknown versions, nothing failed" +
          (totals.ahead == 0 ? "" : "; the database is " + ahead_phrase(totals.ahead)) + "\n");
    }
    return exit_ok;
  } catch (const RefusedError& error) {
    if (json_output) {
      static constexpr std::array<std::string_view, 8> k_reasons{
          "drift",   "unknown",         "out_of_order", "failed",
          "no_down", "failed_rollback", "not_adopted",  "adopt"};
      JsonWriter json;
      json.begin_object().key("ok").value(false);
      json.key("refusal").value(k_reasons.at(static_cast<std::size_t>(error.reason())));
      json.key("versions").begin_array();
      for (const std::string& version : error.versions())
        json.value(version);
      json.end_array().key("message").value(error.what());
      context.output().data(json.end_object().str());
    }
    throw;
  }
}

}  // namespace strata::cli
