// Rules on whole tables: which ones the migration creates (so later rules leave them alone),
// indexes built or rebuilt without CONCURRENTLY, dropped tables, renamed tables and columns.
#include <string>

#include "check/lint/context.hpp"

namespace strata::generator::lint {
namespace {

// Records the table or materialized view a statement creates, if any.
void track_creation(LintContext& ctx, const ParsedStatement& statement) {
  if (const json::Value* relation = created_relation(statement))
    ctx.created(*relation);
}

void lint_index(LintContext& ctx, const json::Value& node) {
  const json::Value& relation = node["relation"];
  if (node["concurrent"].boolean() || ctx.is_fresh(relation))
    return;
  const std::string_view index = node["idxname"].string();
  ctx.report(Rule::create_index_not_concurrent,
             "CREATE INDEX " + (index.empty() ? std::string{} : backticked(index) + ' ') + "on " +
                 backticked(table_name(relation)) +
                 " without CONCURRENTLY blocks writes to the table while the index builds");
}

void lint_reindex(LintContext& ctx, const json::Value& node) {
  for (const json::Value& param : node["params"].items()) {
    if (param["DefElem"]["defname"].string() == "concurrently")
      return;
  }
  const std::string_view kind = node["kind"].string();
  const json::Value& relation = node["relation"];
  if (kind == "REINDEX_OBJECT_TABLE" && ctx.is_fresh(relation))
    return;
  const std::string target =
      kind == "REINDEX_OBJECT_INDEX"   ? "index " + backticked(table_name(relation))
      : kind == "REINDEX_OBJECT_TABLE" ? "table " + backticked(table_name(relation))
                                       : "every index of " + backticked(node["name"].string());
  ctx.report(Rule::reindex_not_concurrent,
             "REINDEX of " + target +
                 " without CONCURRENTLY blocks writes to the table while it rebuilds");
}

void lint_drop(LintContext& ctx, const json::Value& node) {
  if (node["removeType"].string() != "OBJECT_TABLE")
    return;
  for (const json::Value& object : node["objects"].items()) {
    const json::Value& names = object["List"]["items"];
    if (names.size() == 0)
      continue;
    const std::string_view name = names[names.size() - 1]["String"]["sval"].string();
    const std::string_view schema =
        names.size() >= 2 ? names[names.size() - 2]["String"]["sval"].string() : std::string_view{};
    // A table the migration creates, before or after (`DROP TABLE IF EXISTS tmp; CREATE TEMP
    // TABLE tmp …`), is the migration's own.
    if (ctx.is_fresh(schema, name) || ctx.is_created_later(schema, name))
      continue;
    const std::string table =
        schema.empty() ? std::string{name} : std::string{schema} + '.' + std::string{name};
    ctx.report(Rule::drop_table, "dropping table " + backticked(table) +
                                     " deletes its data and breaks code that still uses it");
  }
}

void lint_rename(LintContext& ctx, const json::Value& node) {
  const std::string_view type = node["renameType"].string();
  const json::Value& relation = node["relation"];
  const bool fresh = ctx.is_fresh(relation);
  const std::string_view new_name = node["newname"].string();
  if (type == "OBJECT_TABLE") {
    if (fresh) {
      ctx.created(relation["schemaname"].string(), new_name);
      return;
    }
    ctx.report(Rule::rename_table, "renaming table " + backticked(table_name(relation)) + " to " +
                                       backticked(new_name) +
                                       " breaks the application version still running");
  } else if (type == "OBJECT_COLUMN" && node["relationType"].string() == "OBJECT_TABLE" && !fresh) {
    ctx.report(Rule::rename_column,
               "renaming column " +
                   backticked(table_name(relation) + '.' + std::string{node["subname"].string()}) +
                   " to " + backticked(new_name) + " breaks the application version still running");
  }
}

}  // namespace

const json::Value* created_relation(const ParsedStatement& statement) noexcept {
  const std::string_view type = statement.node_type();
  const json::Value& node = statement.node();
  if (type == "CreateStmt")
    return &node["relation"];
  if (type == "CreateTableAsStmt")
    return &node["into"]["rel"];
  if (type == "SelectStmt" && node.contains("intoClause"))
    return &node["intoClause"]["rel"];
  return nullptr;
}

void lint_table_objects(LintContext& ctx) {
  const ParsedStatement& statement = ctx.statement();
  const std::string_view type = statement.node_type();
  const json::Value& node = statement.node();
  if (type == "IndexStmt") {
    lint_index(ctx, node);
  } else if (type == "ReindexStmt") {
    lint_reindex(ctx, node);
  } else if (type == "DropStmt") {
    lint_drop(ctx, node);
  } else if (type == "RenameStmt") {
    lint_rename(ctx, node);
  }
  track_creation(ctx, ctx.statement());
}

}  // namespace strata::generator::lint
