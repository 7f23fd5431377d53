// Comparing the embedded MigrationSet with the history table: the Plan, and the refusals.
//
// Pure functions over rows already read, so every rule here is tested without a database.
#pragma once

#include <span>
#include <vector>

#include <strata/migrator.hpp>

#include "history.hpp"

namespace strata::detail {

// Where each migration and routine stands. `rows` are the history rows, oldest first.
[[nodiscard]] Plan make_plan(std::span<const Migration> set, const std::vector<HistoryRow>& rows);

// Throws RefusedError for the first of: a failed migration (always), drift, unknown versions,
// out-of-order pending versions (each unless `options` allow it). The message names every
// migration concerned and what overrides or resolves it.
void check_refusals(const Plan& plan, const MigratorOptions& options);

// Whether the plan needs no work and no refusal under `options`: the fast path of a no-op up().
[[nodiscard]] bool is_settled(const Plan& plan, bool with_routines,
                              const MigratorOptions& options) noexcept;

}  // namespace strata::detail
