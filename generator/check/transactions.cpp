// BEGIN/COMMIT inside migrations, and statements that must run outside a transaction block.
#include "check/transactions.hpp"

#include <string>

#include "catalog/diagnostics.hpp"
#include "check/transaction_effects.hpp"

namespace strata::generator {
namespace {

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

// A section that runs outside a transaction may manage its own, but must close what it opens:
// a transaction still open after the last statement is never committed, and strata's own
// bookkeeping would run inside it.
void check_unclosed_transaction(const SectionSource& section, const ParsedSection& parsed,
                                Diagnostics& diagnostics) {
  const ParsedStatement* opened = nullptr;
  for (const ParsedStatement& statement : parsed.statements) {
    const TransactionEffect effect = transaction_effect(section, statement);
    if (!effect.in_transaction_after)
      continue;
    if (!*effect.in_transaction_after)
      opened = nullptr;
    else if (opened == nullptr)
      opened = &statement;
  }
  if (opened == nullptr || !parsed.complete)
    return;
  diagnostics.add(*section.file, section.offset + opened->offset, "strata-W301",
                  "transaction opened here is still open after the migration's last statement",
                  "end it with COMMIT (or ROLLBACK) in the same section: a transaction still "
                  "open after the last statement is never committed; strata rolls it back and "
                  "records the migration as failed");
}

}  // namespace

std::vector<BlankRange> check_transactions(const MigrationSource& migration,
                                           const SectionSource& section, ParsedSection& parsed,
                                           Diagnostics& diagnostics) {
  std::vector<BlankRange> blanked;
  if (!section.in_transaction) {
    check_unclosed_transaction(section, parsed, diagnostics);
    return blanked;  // otherwise the migration manages its own transactions
  }
  auto& statements = parsed.statements;
  if (statements.size() >= 2 && transaction_effect(section, statements.front()).plain_begin &&
      transaction_effect(section, statements.back()).plain_commit) {
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
    const TransactionEffect effect = transaction_effect(section, statement);
    if (!effect.control.empty()) {
      diagnostics.add(
          *section.file, at, "strata-E301",
          std::string{effect.control} + " inside a migration that runs in a transaction",
          migration.kind == MigrationKind::routine
              ? "routines run in strata's transaction; remove it"
              : "strata runs each migration in its own transaction; remove it, or "
                "opt the migration out of the transaction: " +
                    opt_out_hint(migration.form));
      continue;
    }
    if (!effect.non_transactional.empty()) {
      diagnostics.add(
          *section.file, at, "strata-E302",
          std::string{effect.non_transactional} + " cannot run inside a transaction block",
          opt_out_hint(migration.form));
    }
  }
  return blanked;
}

}  // namespace strata::generator
