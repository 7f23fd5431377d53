// Rules on statements that reach beyond the migration: session settings that outlive it (strata
// runs the next migrations and its history queries on the same connection, so a leaked
// search_path changes what they see), and table rewrites that block reads and writes.
#include <string>

#include "check/lint/context.hpp"

namespace strata::generator::lint {
namespace {

// Whether a later statement of the section resets `setting` (RESET name, RESET ALL).
bool reset_later(const LintContext& ctx, std::string_view setting) noexcept {
  for (const ParsedStatement& later : ctx.later()) {
    if (later.node_type() != "VariableSetStmt")
      continue;
    const std::string_view kind = later.node()["kind"].string();
    if (kind == "VAR_RESET_ALL" ||
        (kind == "VAR_RESET" && later.node()["name"].string() == setting))
      return true;
  }
  return false;
}

void lint_set(LintContext& ctx, const json::Value& node) {
  const std::string_view kind = node["kind"].string();
  const std::string_view name = node["name"].string();
  if (node["is_local"].boolean() || kind == "VAR_RESET" || kind == "VAR_RESET_ALL")
    return;
  // SET TRANSACTION … lasts for the transaction only.
  if (kind == "VAR_SET_MULTI" && name.starts_with("TRANSACTION"))
    return;
  if (reset_later(ctx, name))
    return;
  ctx.report(Rule::session_setting,
             "SET " + std::string{name} +
                 " without LOCAL lasts for the rest of the session, beyond this migration");
}

// A constant's truth as set_config's third argument reads it; false when it is not a constant.
bool is_true_constant(const json::Value& argument) noexcept {
  const json::Value& constant = argument["A_Const"];
  if (constant.contains("boolval"))
    return constant["boolval"]["boolval"].boolean();
  const std::string_view text = constant["sval"]["sval"].string();
  return text == "true" || text == "t" || text == "on" || text == "yes";
}

// Finds set_config(name, value, false) calls anywhere in a SELECT.
void find_set_config(LintContext& ctx, const json::Value& value) {
  if (value.is_object()) {
    if (value.contains("FuncCall")) {
      const json::Value& call = value["FuncCall"];
      const json::Value& names = call["funcname"];
      const json::Value& arguments = call["args"];
      if (names.size() > 0 && names[names.size() - 1]["String"]["sval"].string() == "set_config" &&
          arguments.size() == 3 && !is_true_constant(arguments[2])) {
        const std::string_view setting = arguments[0]["A_Const"]["sval"]["sval"].string();
        if (!reset_later(ctx, setting)) {
          ctx.report(Rule::session_setting,
                     "set_config(" + (setting.empty() ? std::string{"…"} : backticked(setting)) +
                         ", …, false) lasts for the rest of the session, beyond this migration");
        }
      }
    }
  }
  for (const json::Value& item : value.items())
    find_set_config(ctx, item);
}

// The tables a VACUUM names that this migration did not create; `all` when it names none.
std::string existing_tables(const LintContext& ctx, const json::Value& relations, bool& any) {
  std::string names;
  any = relations.size() == 0;
  for (const json::Value& item : relations.items()) {
    const json::Value& relation = item["VacuumRelation"]["relation"];
    if (ctx.is_fresh(relation))
      continue;
    any = true;
    names += (names.empty() ? "" : ", ") + backticked(table_name(relation));
  }
  return names.empty() ? std::string{"every table"} : names;
}

void lint_vacuum(LintContext& ctx, const json::Value& node) {
  bool full = false;
  for (const json::Value& option : node["options"].items()) {
    if (option["DefElem"]["defname"].string() == "full")
      full = true;
  }
  if (!node["is_vacuumcmd"].boolean() || !full)
    return;
  bool any = false;
  const std::string tables = existing_tables(ctx, node["rels"], any);
  if (any) {
    ctx.report(Rule::vacuum_full, "VACUUM FULL rewrites " + tables +
                                      " under an ACCESS EXCLUSIVE lock, blocking reads and writes");
  }
}

void lint_cluster(LintContext& ctx, const json::Value& node) {
  const json::Value& relation = node["relation"];
  if (!relation.is_null() && ctx.is_fresh(relation))
    return;
  ctx.report(Rule::cluster, "CLUSTER rewrites " +
                                (relation.is_null() ? std::string{"every clustered table"}
                                                    : backticked(table_name(relation))) +
                                " under an ACCESS EXCLUSIVE lock, blocking reads and writes");
}

}  // namespace

void lint_session_and_locks(LintContext& ctx) {
  const ParsedStatement& statement = ctx.statement();
  const std::string_view type = statement.node_type();
  const json::Value& node = statement.node();
  if (type == "VariableSetStmt") {
    lint_set(ctx, node);
  } else if (type == "SelectStmt") {
    find_set_config(ctx, node);
  } else if (type == "VacuumStmt") {
    lint_vacuum(ctx, node);
  } else if (type == "ClusterStmt") {
    lint_cluster(ctx, node);
  }
}

}  // namespace strata::generator::lint
