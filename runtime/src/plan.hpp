// Comparing the embedded MigrationSet with the history table: the Plan, and the refusals.
//
// Pure functions over rows already read, so every rule here is tested without a database.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <strata/migrator.hpp>

#include "history.hpp"

namespace strata::detail {

// Where each migration and routine stands. `rows` are the history rows, oldest first. A `running`
// row is `running` when `lock_held_elsewhere` (its process lives), else `failed` (interrupted).
[[nodiscard]] Plan make_plan(std::span<const Migration> set, const std::vector<HistoryRow>& rows,
                             bool lock_held_elsewhere = false);

// Throws RefusedError(failed or failed_rollback) when a migration or a rollback stopped part-way,
// naming it, where it stopped, and how to settle it.
void refuse_failed(const Plan& plan);

// Throws RefusedError for the first of: a failed migration (always), drift, unknown versions,
// out-of-order pending versions (each unless `options` allow it). The message names every
// migration concerned and what overrides or resolves it.
void check_refusals(const Plan& plan, const MigratorOptions& options);

// The versions of the plan's `ahead` entries, in order; empty when `options` allow unknown
// versions (then they are applied around, as before).
[[nodiscard]] std::vector<std::string> ahead_versions(const Plan& plan,
                                                      const MigratorOptions& options);

// Whether the plan needs no work and no refusal under `options`: the fast path of a no-op up().
[[nodiscard]] bool is_settled(const Plan& plan, bool with_routines,
                              const MigratorOptions& options) noexcept;

}  // namespace strata::detail
