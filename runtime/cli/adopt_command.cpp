// `adopt`: taking over a database another tool migrated (Migrator::adopt), with one summary line or
// a JSON document.
#include <string>

#include "commands.hpp"
#include "json.hpp"

namespace strata::cli {

int adopt_command(Context& context) {
  const Invocation& invocation = context.invocation();
  AdoptOptions options;
  if (invocation.from) {
    options.from = tool_named(*invocation.from);
    if (!options.from) {
      std::string tools;
      for (const ForeignTool tool : foreign_tools())
        tools += (tools.empty() ? "" : ", ") + std::string{tool_name(tool)};
      throw UsageError("--from: unknown tool '" + *invocation.from + "' (one of " + tools + ")");
    }
  }
  options.table = invocation.foreign_table;
  options.baseline = invocation.baseline;
  options.force = invocation.force;
  Migrator migrator = context.migrator();
  const AdoptReport report = migrator.adopt(options);
  if (invocation.json) {
    JsonWriter json;
    json.begin_object().key("table").value(invocation.table);
    json.key("source").value(report.source).key("adopted").begin_array();
    for (const std::string& version : report.versions)
      json.value(version);
    json.end_array().key("already_recorded");
    json.value(static_cast<std::int64_t>(report.already_recorded));
    json.key("routines").begin_array();
    for (const std::string& name : report.routines)
      json.value(name);
    json.end_array().key("notes").begin_array();
    for (const std::string& note : report.notes)
      json.value(note);
    json.end_array();
    context.output().data(json.end_object().str());
    return exit_ok;
  }
  const std::size_t n = report.versions.size();
  std::string line = "Adopted " + std::to_string(n) + " migration" + (n == 1 ? "" : "s");
  if (!report.routines.empty()) {
    const std::size_t r = report.routines.size();
    line += " and " + std::to_string(r) + (r == 1 ? " routine" : " routines");
  }
  line += " from " + report.source + " into " + invocation.table;
  if (report.already_recorded != 0)
    line += " (" + std::to_string(report.already_recorded) + " already recorded)";
  context.output().progress(line);
  for (const std::string& note : report.notes)
    context.output().warn("note: " + note);
  return exit_ok;
}

}  // namespace strata::cli
