// Rules on ALTER TABLE subcommands of a table the migration did not create: new NOT NULL
// columns, new columns that rewrite the table, type changes, dropped columns, SET NOT NULL, and
// constraints that validate or build an index while they hold a lock.
#include <array>
#include <string>

#include "check/lint/context.hpp"

namespace strata::generator::lint {
namespace {

// The last name of a TypeName node ("int4", "serial").
std::string_view type_name(const json::Value& type) noexcept {
  const json::Value& names = type["names"];
  return names.size() == 0 ? std::string_view{}
                           : names[names.size() - 1]["String"]["sval"].string();
}

bool is_serial(std::string_view type) noexcept {
  constexpr std::array<std::string_view, 6> serials = {"serial",  "bigserial", "smallserial",
                                                       "serial2", "serial4",   "serial8"};
  for (std::string_view serial : serials) {
    if (type == serial)
      return true;
  }
  return false;
}

// Volatile functions seen in column defaults. A default calling one is evaluated per row, so
// adding the column rewrites the table; a constant, now() or CURRENT_TIMESTAMP is stored once.
bool is_volatile_function(std::string_view name) noexcept {
  constexpr std::array<std::string_view, 8> volatile_functions = {
      "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
      "random",          "clock_timestamp",  "timeofday",          "nextval"};
  for (std::string_view function : volatile_functions) {
    if (name == function)
      return true;
  }
  return false;
}

// The first volatile function called anywhere in an expression, or empty.
std::string_view volatile_call(const json::Value& expression) noexcept {
  if (expression.is_object() && expression.contains("FuncCall")) {
    const json::Value& names = expression["FuncCall"]["funcname"];
    const std::string_view name =
        names.size() == 0 ? std::string_view{} : names[names.size() - 1]["String"]["sval"].string();
    if (is_volatile_function(name))
      return name;
  }
  for (const json::Value& item : expression.items()) {
    if (const std::string_view found = volatile_call(item); !found.empty())
      return found;
  }
  return {};
}

void lint_added_column(LintContext& ctx, const std::string& table, const json::Value& column) {
  const std::string name = table + '.' + std::string{column["colname"].string()};
  const std::string_view type_of_column = type_name(column["typeName"]);
  bool not_null = false;
  bool has_default = !column["raw_default"].is_null() || is_serial(type_of_column);
  // Why every existing row gets a new value computed, which rewrites the table; empty if none.
  std::string rewrite =
      is_serial(type_of_column) ? "as a " + std::string{type_of_column} + " column" : "";
  for (const json::Value& item : column["constraints"].items()) {
    const json::Value& constraint = item["Constraint"];
    const std::string_view type = constraint["contype"].string();
    if (type == "CONSTR_NOTNULL" || type == "CONSTR_PRIMARY")
      not_null = true;
    if (type == "CONSTR_DEFAULT" || type == "CONSTR_IDENTITY" || type == "CONSTR_GENERATED")
      has_default = true;
    if (type == "CONSTR_IDENTITY") {
      rewrite = "as an identity column";
    } else if (type == "CONSTR_GENERATED") {
      rewrite = "as a stored generated column";
    } else if (type == "CONSTR_DEFAULT") {
      if (const std::string_view call = volatile_call(constraint["raw_expr"]); !call.empty())
        rewrite = "with default " + std::string{call} + "()";
    }
    if (type == "CONSTR_FOREIGN") {
      ctx.report(Rule::foreign_key_not_valid,
                 "column " + backticked(name) + " is added with REFERENCES " +
                     backticked(table_name(constraint["pktable"])) +
                     ": the foreign key is checked against every row while both tables are "
                     "locked");
    }
    if (type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY") {
      ctx.report(Rule::unique_without_index,
                 "column " + backticked(name) + " is added with " +
                     (type == "CONSTR_UNIQUE" ? "UNIQUE" : "PRIMARY KEY") +
                     ": its index is built under an ACCESS EXCLUSIVE lock");
    }
  }
  if (!rewrite.empty()) {
    ctx.report(Rule::add_column_rewrite,
               "column " + backticked(name) + " is added " + rewrite +
                   ": every row gets a value, so the table is rewritten under an ACCESS "
                   "EXCLUSIVE lock");
  }
  if (not_null && !has_default) {
    ctx.report(Rule::add_column_not_null,
               "column " + backticked(name) +
                   " is added NOT NULL without a default: this fails when the table has rows");
  }
}

std::string constraint_label(const json::Value& constraint, std::string_view kind) {
  const std::string_view name = constraint["conname"].string();
  return name.empty() ? std::string{kind} + " constraint"
                      : std::string{kind} + ' ' + backticked(name);
}

void lint_added_constraint(LintContext& ctx, const std::string& table,
                           const json::Value& constraint) {
  const std::string_view type = constraint["contype"].string();
  const bool validated = !constraint["skip_validation"].boolean();
  if (type == "CONSTR_FOREIGN" && validated) {
    ctx.report(Rule::foreign_key_not_valid,
               constraint_label(constraint, "FOREIGN KEY") + " on " + backticked(table) +
                   " without NOT VALID checks every row while " + backticked(table) + " and " +
                   backticked(table_name(constraint["pktable"])) + " are locked against writes");
  } else if (type == "CONSTR_CHECK" && validated) {
    ctx.report(Rule::check_not_valid, constraint_label(constraint, "CHECK") + " on " +
                                          backticked(table) +
                                          " without NOT VALID scans the table under an ACCESS "
                                          "EXCLUSIVE lock");
  } else if ((type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY") &&
             constraint["indexname"].string().empty()) {
    ctx.report(Rule::unique_without_index,
               constraint_label(constraint, type == "CONSTR_UNIQUE" ? "UNIQUE" : "PRIMARY KEY") +
                   " on " + backticked(table) +
                   " builds its index under an ACCESS EXCLUSIVE lock (no USING INDEX)");
  }
}

}  // namespace

void lint_alter_table(LintContext& ctx) {
  const ParsedStatement& statement = ctx.statement();
  if (statement.node_type() != "AlterTableStmt")
    return;
  const json::Value& node = statement.node();
  const json::Value& relation = node["relation"];
  if (node["objtype"].string() != "OBJECT_TABLE" || ctx.is_fresh(relation))
    return;
  const std::string table = table_name(relation);
  for (const json::Value& item : node["cmds"].items()) {
    const json::Value& command = item["AlterTableCmd"];
    const std::string_view subtype = command["subtype"].string();
    const std::string column = table + '.' + std::string{command["name"].string()};
    if (subtype == "AT_AddColumn") {
      lint_added_column(ctx, table, command["def"]["ColumnDef"]);
    } else if (subtype == "AT_AddConstraint") {
      lint_added_constraint(ctx, table, command["def"]["Constraint"]);
    } else if (subtype == "AT_AlterColumnType") {
      ctx.report(Rule::alter_column_type,
                 "changing the type of " + backticked(column) +
                     " rewrites the table and its indexes under an ACCESS EXCLUSIVE lock");
    } else if (subtype == "AT_DropColumn") {
      ctx.report(Rule::drop_column, "dropping column " + backticked(column) +
                                        " deletes its data and breaks code that still uses it");
    } else if (subtype == "AT_SetNotNull") {
      ctx.report(Rule::set_not_null, "SET NOT NULL on " + backticked(column) +
                                         " scans the table under an ACCESS EXCLUSIVE lock");
    }
  }
}

}  // namespace strata::generator::lint
