// Routine-file restrictions and DROP statements derived from the parse tree.
#include "check/routines.hpp"

#include <cctype>

#include "catalog/diagnostics.hpp"

namespace strata::generator {
namespace {

// Parse-tree names are already case-folded and unquoted, so quoting every one is always right.
std::string quote(std::string_view identifier) {
  std::string result = "\"";
  for (char c : identifier) {
    if (c == '"')
      result += '"';
    result += c;
  }
  return result + '"';
}

// A list of String nodes ([schema, name]) as a qualified, quoted name.
std::string qualified(const json::Value& names) {
  std::string result;
  for (const json::Value& part : names.items()) {
    if (!result.empty())
      result += '.';
    result += quote(part["String"]["sval"].string());
  }
  return result;
}

std::string relation(const json::Value& range_var) {
  std::string result;
  if (const auto schema = range_var["schemaname"].string(); !schema.empty()) {
    result = quote(schema) + '.';
  }
  return result + quote(range_var["relname"].string());
}

std::string type_name(const json::Value& type) {
  std::string result = qualified(type["names"]);
  if (type["pct_type"].boolean())
    result += "%TYPE";
  for (std::size_t i = 0; i < type["arrayBounds"].size(); ++i)
    result += "[]";
  return result;
}

// The argument list of a DROP FUNCTION/PROCEDURE/AGGREGATE, modes spelled out so procedures'
// OUT arguments are matched too; RETURNS TABLE columns are not arguments. With `identity`, the
// types that identify the object: a function's OUT arguments are not part of it (a procedure's
// are, since PostgreSQL 14), and modes are left out.
std::string argument_list(const json::Value& parameters, bool identity = false,
                          bool procedure = false) {
  std::string result = "(";
  bool first = true;
  for (const json::Value& item : parameters.items()) {
    const json::Value& parameter = item["FunctionParameter"];
    const std::string_view mode = parameter["mode"].string();
    if (mode == "FUNC_PARAM_TABLE" || (identity && !procedure && mode == "FUNC_PARAM_OUT"))
      continue;
    if (!first)
      result += ", ";
    first = false;
    if (identity) {
      result += type_name(parameter["argType"]);
      continue;
    }
    if (mode == "FUNC_PARAM_OUT")
      result += "OUT ";
    if (mode == "FUNC_PARAM_INOUT")
      result += "INOUT ";
    if (mode == "FUNC_PARAM_VARIADIC")
      result += "VARIADIC ";
    result += type_name(parameter["argType"]);
  }
  return result + ')';
}

// The first words of a statement, for messages ("CREATE TABLE").
std::string leading_words(std::string_view text) {
  std::string result;
  int words = 0;
  std::size_t i = 0;
  while (i < text.size() && words < 2) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0)
      ++i;
    const std::size_t start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])) != 0)
      ++i;
    if (i == start)
      break;
    if (!result.empty())
      result += ' ';
    for (std::size_t k = start; k < i; ++k) {
      result += static_cast<char>(std::toupper(static_cast<unsigned char>(text[k])));
    }
    ++words;
  }
  return result.empty() ? "this statement" : result;
}

bool is_definition(std::string_view type, const json::Value& node) {
  return type == "CreateFunctionStmt" || type == "ViewStmt" || type == "CreateTrigStmt" ||
         (type == "DefineStmt" && node["kind"].string() == "OBJECT_AGGREGATE");
}

constexpr std::string_view allowed_hint =
    "a routine file may hold only CREATE OR REPLACE FUNCTION|PROCEDURE|VIEW|TRIGGER|AGGREGATE, "
    "COMMENT ON, GRANT/REVOKE and DROP … IF EXISTS; put other changes in a migration";

}  // namespace

std::vector<RoutineObject> defined_objects(const ParsedStatement& statement) {
  const std::string_view type = statement.node_type();
  const json::Value& node = statement.node();
  std::vector<RoutineObject> objects;
  if (type == "CreateFunctionStmt") {
    const bool procedure = node["is_procedure"].boolean();
    const std::string name = qualified(node["funcname"]);
    const std::string signature = name + argument_list(node["parameters"]);
    objects.push_back({"routine " + name + argument_list(node["parameters"], true, procedure),
                       std::string{procedure ? "DROP PROCEDURE" : "DROP FUNCTION"} + " IF EXISTS " +
                           signature + ';',
                       statement.offset});
  } else if (type == "ViewStmt") {
    const std::string name = relation(node["view"]);
    objects.push_back({"view " + name, "DROP VIEW IF EXISTS " + name + ';', statement.offset});
  } else if (type == "CreateTrigStmt") {
    const std::string name = quote(node["trigname"].string()) + " ON " + relation(node["relation"]);
    objects.push_back(
        {"trigger " + name, "DROP TRIGGER IF EXISTS " + name + ';', statement.offset});
  } else if (type == "DefineStmt" && node["kind"].string() == "OBJECT_AGGREGATE") {
    // args = [[FunctionParameter…], Integer]; an empty first list is `(*)`.
    const json::Value& arguments = node["args"][0]["List"]["items"];
    const std::string list = arguments.size() > 0 ? argument_list(arguments) : "(*)";
    const std::string signature = qualified(node["defnames"]) + list;
    const std::string identity = qualified(node["defnames"]) +
                                 (arguments.size() > 0 ? argument_list(arguments, true) : "(*)");
    objects.push_back(
        {"routine " + identity, "DROP AGGREGATE IF EXISTS " + signature + ';', statement.offset});
  }
  return objects;
}

std::vector<RoutineObject> analyse_routine(const SectionSource& section,
                                           const ParsedSection& parsed, Diagnostics& diagnostics) {
  std::vector<RoutineObject> objects;
  for (const ParsedStatement& statement : parsed.statements) {
    if (statement.unchecked)
      continue;
    const std::string_view type = statement.node_type();
    const json::Value& node = statement.node();
    const std::size_t at = section.offset + statement.offset;
    const std::string words = leading_words(section.text().substr(statement.offset));
    if (is_definition(type, node)) {
      if (!node["replace"].boolean()) {
        diagnostics.add(*section.file, at, "strata-E401",
                        words + " without OR REPLACE in a routine file",
                        "a routine file is re-applied whenever it changes: write CREATE OR "
                        "REPLACE so it can run again over its previous version");
        continue;
      }
      for (auto& object : defined_objects(statement))
        objects.push_back(std::move(object));
      continue;
    }
    const bool allowed = type == "CommentStmt" || type == "GrantStmt" || type == "GrantRoleStmt" ||
                         (type == "DropStmt" && node["missing_ok"].boolean());
    if (!allowed) {
      diagnostics.add(*section.file, at, "strata-E401", words + " is not allowed in a routine file",
                      std::string{allowed_hint});
    }
  }
  return objects;
}

}  // namespace strata::generator
