// What a statement does to the session's transaction: whether it is transaction control (BEGIN,
// COMMIT, …), whether PostgreSQL refuses it inside a transaction block, and whether the session
// is inside a transaction after it.
//
// Read from the statement's parse tree. A statement marked `-- strata:unchecked` has none: its
// text is parsed again here, and when the PostgreSQL 15 grammar still refuses it, its leading
// keywords decide. So the escape hatch skips the grammar check and nothing else: the checks that
// keep the history consistent (E301, E302, W301) see every statement.
#pragma once

#include <optional>
#include <string_view>

#include "catalog/catalog.hpp"
#include "check/statements.hpp"

namespace strata::generator {

struct TransactionEffect {
  // Transaction control that would end or nest strata's transaction ("BEGIN", "COMMIT", …);
  // empty for anything else (SAVEPOINT, RELEASE and ROLLBACK TO work inside one).
  std::string_view control;
  // Why the statement cannot run inside a transaction block ("CREATE INDEX CONCURRENTLY"), or
  // empty when it can.
  std::string_view non_transactional;
  // Whether the session is inside a transaction after the statement (BEGIN: yes; COMMIT: no;
  // COMMIT AND CHAIN: yes); nullopt when the statement does not change that.
  std::optional<bool> in_transaction_after;
  // A BEGIN / START TRANSACTION without options, a COMMIT without AND CHAIN, as parsed: the
  // golang-migrate wrapper strata lifts into its own transaction. Never set for an unchecked
  // statement.
  bool plain_begin = false;
  bool plain_commit = false;
};

// The effect of `statement`, a statement of `section`.
[[nodiscard]] TransactionEffect transaction_effect(const SectionSource& section,
                                                   const ParsedStatement& statement);

// Why a parsed statement cannot run inside a transaction block ("CREATE INDEX CONCURRENTLY"), or
// empty when it can.
[[nodiscard]] std::string_view non_transactional_reason(const ParsedStatement& statement) noexcept;

}  // namespace strata::generator
