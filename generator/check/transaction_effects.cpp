// Transaction effects from parse trees, and from leading keywords when the grammar cannot help.
#include "check/transaction_effects.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "check/pg_query.hpp"

namespace strata::generator {
namespace {

std::string_view transaction_kind(const ParsedStatement& statement) noexcept {
  return statement.node_type() == "TransactionStmt" ? statement.node()["kind"].string()
                                                    : std::string_view{};
}

bool has_option(const json::Value& list, std::string_view name) noexcept {
  for (const json::Value& item : list.items()) {
    if (item["DefElem"]["defname"].string() == name)
      return true;
  }
  return false;
}

TransactionEffect effect_of_tree(const ParsedStatement& statement) noexcept {
  TransactionEffect effect;
  effect.non_transactional = non_transactional_reason(statement);
  const std::string_view kind = transaction_kind(statement);
  const json::Value& node = statement.node();
  const bool chain = node["chain"].boolean();
  if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
    effect.control = kind == "TRANS_STMT_BEGIN" ? "BEGIN" : "START TRANSACTION";
    effect.in_transaction_after = true;
    effect.plain_begin = node["options"].size() == 0;
  } else if (kind == "TRANS_STMT_COMMIT") {
    effect.control = "COMMIT";
    effect.in_transaction_after = chain;
    effect.plain_commit = !chain;
  } else if (kind == "TRANS_STMT_ROLLBACK") {
    effect.control = "ROLLBACK";
    effect.in_transaction_after = chain;
  } else if (kind == "TRANS_STMT_PREPARE") {
    effect.control = "PREPARE TRANSACTION";
    effect.in_transaction_after = false;
  } else if (kind == "TRANS_STMT_COMMIT_PREPARED") {
    effect.control = "COMMIT PREPARED";
  } else if (kind == "TRANS_STMT_ROLLBACK_PREPARED") {
    effect.control = "ROLLBACK PREPARED";
  }
  return effect;
}

// Up to `count` leading words of a statement, upper-cased; parentheses and commas between them
// are skipped (`REINDEX (CONCURRENTLY) TABLE t`), anything else ends the list.
constexpr std::size_t leading_word_count = 6;
using Words = std::array<std::string, leading_word_count>;

Words leading_words(std::string_view text) {
  Words words;
  std::size_t i = skip_trivia(text, 0);
  for (std::string& word : words) {
    while (i < text.size() && (text[i] == '(' || text[i] == ')' || text[i] == ',')) {
      i = skip_trivia(text, i + 1);
    }
    while (i < text.size() &&
           (std::isalpha(static_cast<unsigned char>(text[i])) != 0 || text[i] == '_')) {
      word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
      ++i;
    }
    if (word.empty())
      break;
    i = skip_trivia(text, i);
  }
  return words;
}

bool contains_word(const Words& words, std::string_view word) noexcept {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// The effect of a statement the grammar refuses, from its leading keywords: the transaction
// control statements and the statements that cannot run in a transaction block, as the server
// recognises them by their first words.
TransactionEffect effect_of_words(std::string_view text) {
  const Words w = leading_words(text);
  TransactionEffect effect;
  const bool chain = contains_word(w, "CHAIN") && !contains_word(w, "NO");
  if (w[0] == "BEGIN" || (w[0] == "START" && w[1] == "TRANSACTION")) {
    effect.control = w[0] == "BEGIN" ? "BEGIN" : "START TRANSACTION";
    effect.in_transaction_after = true;
  } else if ((w[0] == "COMMIT" || w[0] == "ROLLBACK") && w[1] == "PREPARED") {
    effect.control = w[0] == "COMMIT" ? "COMMIT PREPARED" : "ROLLBACK PREPARED";
  } else if (w[0] == "COMMIT" || w[0] == "END") {
    effect.control = w[0] == "COMMIT" ? "COMMIT" : "END";
    effect.in_transaction_after = chain;
  } else if ((w[0] == "ROLLBACK" || w[0] == "ABORT") && w[1] != "TO" && w[2] != "TO") {
    effect.control = w[0] == "ROLLBACK" ? "ROLLBACK" : "ABORT";
    effect.in_transaction_after = chain;
  } else if (w[0] == "PREPARE" && w[1] == "TRANSACTION") {
    effect.control = "PREPARE TRANSACTION";
    effect.in_transaction_after = false;
  } else if (w[0] == "CREATE" && (w[1] == "INDEX" || w[2] == "INDEX") &&
             contains_word(w, "CONCURRENTLY")) {
    effect.non_transactional = "CREATE INDEX CONCURRENTLY";
  } else if (w[0] == "DROP" && w[1] == "INDEX" && w[2] == "CONCURRENTLY") {
    effect.non_transactional = "DROP INDEX CONCURRENTLY";
  } else if (w[0] == "REINDEX" && contains_word(w, "CONCURRENTLY")) {
    effect.non_transactional = "REINDEX CONCURRENTLY";
  } else if (w[0] == "REINDEX" && (w[1] == "SCHEMA" || w[1] == "DATABASE" || w[1] == "SYSTEM")) {
    effect.non_transactional = "REINDEX SCHEMA/DATABASE/SYSTEM";
  } else if (w[0] == "VACUUM") {
    effect.non_transactional = "VACUUM";
  } else if ((w[0] == "CREATE" || w[0] == "DROP") &&
             (w[1] == "DATABASE" || w[1] == "TABLESPACE" || w[1] == "SUBSCRIPTION")) {
    effect.non_transactional = w[1] == "DATABASE"     ? "CREATE/DROP DATABASE"
                               : w[1] == "TABLESPACE" ? "CREATE/DROP TABLESPACE"
                                                      : "CREATE/DROP SUBSCRIPTION";
  } else if (w[0] == "ALTER" && w[1] == "SYSTEM") {
    effect.non_transactional = "ALTER SYSTEM";
  }
  return effect;
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

TransactionEffect transaction_effect(const SectionSource& section,
                                     const ParsedStatement& statement) {
  if (!statement.unchecked)
    return effect_of_tree(statement);
  // Marked `-- strata:unchecked`: the grammar check is skipped, the transaction checks are not.
  const std::string_view text = section.text().substr(statement.offset, statement.length);
  const ParseOutcome outcome = parse_sql(text);
  if (outcome.tree) {
    const json::Value& statements = (*outcome.tree)["stmts"];
    if (statements.size() > 0) {
      ParsedStatement parsed = statement;
      parsed.tree = &statements[std::size_t{0}]["stmt"];
      TransactionEffect effect = effect_of_tree(parsed);
      effect.plain_begin = effect.plain_commit = false;
      return effect;
    }
  }
  return effect_of_words(text);
}

}  // namespace strata::generator
