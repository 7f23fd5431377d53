// strata::for_each_target — the same migrations over a fleet: every tenant database or schema,
// at most N at a time.
//
//   auto targets = strata::databases_like(admin_url, "tenant_%");
//   auto outcomes = strata::up_each(targets, app_db::migrations(), {}, {.jobs = 4});
//
// Each target is independent: its own connection, its own migration lock and history table. One
// target failing does not stop the others (unless FleetOptions::fail_fast). Schema-per-tenant
// targets get `search_path` set to their schema and their own history table inside it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <strata/migrator.hpp>

namespace strata {

// One database, or one schema of a database, to migrate.
struct FleetTarget {
  std::string name;      // for reports: the database or schema name, or a redacted URL
  std::string conninfo;  // how to connect; may hold a password: never print it
  std::string schema;    // schema-per-tenant: search_path and history table; "" = none
};

// Every database on the server of `conninfo` whose name matches the SQL LIKE `pattern`, in name
// order; templates, `postgres` and databases that refuse connections are left out. Each target's
// conninfo is `conninfo` with the database replaced. Throws ConnectionError, ConfigurationError
// (unparsable `conninfo`; no database matches, naming the pattern and the server).
[[nodiscard]] std::vector<FleetTarget> databases_like(std::string_view conninfo,
                                                      std::string_view pattern);

// Every schema of the database of `conninfo` whose name matches the SQL LIKE `pattern`, in name
// order (pg_catalog, information_schema and pg_toast* are never matched). Throws ConnectionError,
// ConfigurationError (no schema matches).
[[nodiscard]] std::vector<FleetTarget> schemas_like(std::string_view conninfo,
                                                    std::string_view pattern);

// One URL or key=value string a line; blank lines and lines starting with `#` are skipped, and
// so is whitespace around a line. `source` names the input in messages ("tenants.txt"). Throws
// ConfigurationError naming `source:line` for a line libpq cannot parse (without the line's
// text, which may hold a password) and when no target is listed.
[[nodiscard]] std::vector<FleetTarget> read_targets(std::istream& in, std::string_view source);

// The options a Migrator for `target` uses: for a schema target, `base.history_table` moves into
// the schema. Throws ConfigurationError when a schema target is given a schema-qualified history
// table (all tenants would share one history).
[[nodiscard]] MigratorOptions options_for(const FleetTarget& target, MigratorOptions base);

// A Migrator connected to `target` (search_path set for a schema target), with options_for().
// Throws what the Migrator constructor throws.
[[nodiscard]] Migrator connect(const FleetTarget& target, const MigrationSet& set,
                               MigratorOptions base = {});

struct FleetOptions {
  std::size_t jobs = 0;    // targets in flight at once; 0 = min(4, number of targets)
  bool fail_fast = false;  // after a target fails, start no new one (running ones finish)
};

// How one target ended. The exit-code order of the CLI: ok < failed < refused.
enum class TargetStatus : std::uint8_t {
  ok,
  failed,        // any error: SQL, connection, configuration
  refused,       // RefusedError: nothing was changed on that target
  lock_timeout,  // LockTimeoutError
  not_started,   // fail_fast stopped the fleet before this target began
};

struct TargetOutcome {
  std::size_t index = 0;  // position in the target list
  TargetStatus status = TargetStatus::not_started;
  std::exception_ptr error;  // what `work` threw; null unless failed, refused or lock_timeout
  std::chrono::milliseconds duration{0};
};

// Runs `work` once per target on at most `jobs` threads. `on_done`, if set, is called for each
// target as it finishes (never for two at once; from a worker thread), then for each target that
// fail_fast kept from starting. Returns the outcomes in target order. What `work` throws is
// captured in the outcome, never rethrown; `work` must be safe to call from several threads at
// once for different targets.
std::vector<TargetOutcome> for_each_target(
    const std::vector<FleetTarget>& targets, const FleetOptions& options,
    const std::function<void(const FleetTarget&)>& work,
    const std::function<void(const FleetTarget&, const TargetOutcome&)>& on_done = {});

// for_each_target() applying every pending migration (Migrator::up) on each target; reports[i]
// is what target i applied (empty when it failed before applying anything).
struct FleetUpResult {
  std::vector<TargetOutcome> outcomes;
  std::vector<RunReport> reports;
};
FleetUpResult up_each(const std::vector<FleetTarget>& targets, const MigrationSet& set,
                      const MigratorOptions& migrator_options, const FleetOptions& options,
                      const std::function<void(const FleetTarget&, const TargetOutcome&,
                                               const RunReport&)>& on_done = {});

}  // namespace strata
