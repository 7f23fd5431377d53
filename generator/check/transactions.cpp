// BEGIN/COMMIT inside migrations, and statements that must run outside a transaction block.
#include "check/transactions.hpp"

#include <string>

#include "catalog/diagnostics.hpp"

namespace strata::generator {
namespace {

std::string_view transaction_kind(const ParsedStatement& statement) noexcept {
  return statement.node_type() == "TransactionStmt" ? statement.node()["kind"].string()
                                                    : std::string_view{};
}

// A plain BEGIN / START TRANSACTION (no isolation level or other option to lose by lifting).
bool is_plain_begin(const ParsedStatement& statement) noexcept {
  const std::string_view kind = transaction_kind(statement);
  return (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") &&
         statement.node()["options"].size() == 0;
}

bool is_plain_commit(const ParsedStatement& statement) noexcept {
  return transaction_kind(statement) == "TRANS_STMT_COMMIT" && !statement.node()["chain"].boolean();
}

// Transaction control that would end or nest strata's transaction. SAVEPOINT, RELEASE and
// ROLLBACK TO work inside one.
std::string_view transaction_control_name(std::string_view kind) noexcept {
  if (kind == "TRANS_STMT_BEGIN")
    return "BEGIN";
  if (kind == "TRANS_STMT_START")
    return "START TRANSACTION";
  if (kind == "TRANS_STMT_COMMIT")
    return "COMMIT";
  if (kind == "TRANS_STMT_ROLLBACK")
    return "ROLLBACK";
  if (kind == "TRANS_STMT_PREPARE")
    return "PREPARE TRANSACTION";
  if (kind == "TRANS_STMT_COMMIT_PREPARED")
    return "COMMIT PREPARED";
  if (kind == "TRANS_STMT_ROLLBACK_PREPARED")
    return "ROLLBACK PREPARED";
  return {};
}

std::string opt_out_hint(Form form) {
  switch (form) {
    case Form::dbmate:
      return "add transaction:false to this section's marker line (`-- migrate:up "
             "transaction:false`); its statements then run one at a time, outside a transaction";
    case Form::directory:
      return "add `run_in_transaction = false` to metadata.toml beside up.sql (or make "
             "`-- no-transaction` the file's first line); its statements then run one at a time";
    case Form::routine:
      return "routines always run in a transaction; move this statement into a migration";
    case Form::pair:
    case Form::plain:
    case Form::flyway:
      break;
  }
  return "make `-- no-transaction` the first line of the file; its statements then run one at a "
         "time, outside a transaction";
}

bool has_option(const json::Value& list, std::string_view name) noexcept {
  for (const json::Value& item : list.items()) {
    if (item["DefElem"]["defname"].string() == name)
      return true;
  }
  return false;
}

}  // namespace

std::string_view non_transactional_reason(const ParsedStatement& statement) noexcept {
  const std::string_view type = statement.node_type();
  const json::Value& node = statement.node();
  if (type == "IndexStmt" && node["concurrent"].boolean())
    return "CREATE INDEX CONCURRENTLY";
  if (type == "DropStmt" && node["concurrent"].boolean())
    return "DROP INDEX CONCURRENTLY";
  if (type == "ReindexStmt") {
    if (has_option(node["params"], "concurrently"))
      return "REINDEX CONCURRENTLY";
    const std::string_view kind = node["kind"].string();
    if (kind == "REINDEX_OBJECT_SCHEMA")
      return "REINDEX SCHEMA";
    if (kind == "REINDEX_OBJECT_DATABASE")
      return "REINDEX DATABASE";
    if (kind == "REINDEX_OBJECT_SYSTEM")
      return "REINDEX SYSTEM";
  }
  if (type == "VacuumStmt" && node["is_vacuumcmd"].boolean())
    return "VACUUM";
  if (type == "CreatedbStmt")
    return "CREATE DATABASE";
  if (type == "DropdbStmt")
    return "DROP DATABASE";
  if (type == "CreateTableSpaceStmt")
    return "CREATE TABLESPACE";
  if (type == "DropTableSpaceStmt")
    return "DROP TABLESPACE";
  if (type == "AlterSystemStmt")
    return "ALTER SYSTEM";
  if (type == "ClusterStmt" && node["relation"].is_null())
    return "CLUSTER without a table";
  if (type == "CreateSubscriptionStmt") {
    // CREATE SUBSCRIPTION creates a replication slot unless told not to.
    for (const json::Value& item : node["options"].items()) {
      const json::Value& element = item["DefElem"];
      const std::string_view name = element["defname"].string();
      const std::string_view value = element["arg"]["String"]["sval"].string();
      if ((name == "create_slot" || name == "connect") && (value == "false" || value == "off")) {
        return {};
      }
    }
    return "CREATE SUBSCRIPTION";
  }
  if (type == "AlterTableStmt") {
    for (const json::Value& command : node["cmds"].items()) {
      const json::Value& cmd = command["AlterTableCmd"];
      if (cmd["subtype"].string() == "AT_DetachPartition" &&
          cmd["def"]["PartitionCmd"]["concurrent"].boolean()) {
        return "DETACH PARTITION CONCURRENTLY";
      }
    }
  }
  return {};
}

std::vector<BlankRange> check_transactions(const MigrationSource& migration,
                                           const SectionSource& section, ParsedSection& parsed,
                                           Diagnostics& diagnostics) {
  std::vector<BlankRange> blanked;
  if (!section.in_transaction)
    return blanked;  // the migration manages its own transactions
  auto& statements = parsed.statements;
  if (statements.size() >= 2 && is_plain_begin(statements.front()) &&
      is_plain_commit(statements.back())) {
    diagnostics.add(*section.file, section.offset + statements.front().offset, "strata-N301",
                    "BEGIN … COMMIT around the whole migration: lifted into strata's own "
                    "transaction (same meaning, and atomic with the history row)");
    blanked.emplace_back(statements.front().offset, statements.front().end);
    blanked.emplace_back(statements.back().offset, statements.back().end);
    statements.pop_back();
    statements.erase(statements.begin());
  }
  for (const ParsedStatement& statement : statements) {
    const std::size_t at = section.offset + statement.offset;
    if (const auto name = transaction_control_name(transaction_kind(statement)); !name.empty()) {
      diagnostics.add(*section.file, at, "strata-E301",
                      std::string{name} + " inside a migration that runs in a transaction",
                      migration.kind == MigrationKind::routine
                          ? "routines run in strata's transaction; remove it"
                          : "strata runs each migration in its own transaction; remove it, or "
                            "opt the migration out of the transaction: " +
                                opt_out_hint(migration.form));
      continue;
    }
    if (const auto reason = non_transactional_reason(statement); !reason.empty()) {
      diagnostics.add(*section.file, at, "strata-E302",
                      std::string{reason} + " cannot run inside a transaction block",
                      opt_out_hint(migration.form));
    }
  }
  return blanked;
}

}  // namespace strata::generator
