// strata::cli — the command line shared by the `strata` tool and every self-migrating binary.
//
// A consumer's whole `main` can be
//
//   #include "app_db.hpp"
//   #include <strata/cli.hpp>
//   int main(int argc, char** argv) { return strata::cli::run(argc, argv, app_db::migrations()); }
//
// so that `app up --url …` behaves exactly like `strata up -d … --url …`. Commands: status, up,
// down, rollback, redo, verify, plan, history, resolve, wait, create, drop, dump (`--help` lists
// them with their options). Every failure is one line on stderr and an exit code:
//
//   0 ok · 1 failure (SQL error, connection error, migrations that do not compile; status shows
//   the state first and marks them) ·
//   2 usage or configuration error · 3 refused (drift, unknown or out-of-order versions, a failed
//   migration, no down SQL) · 4 lock timeout
//
// No password from --url or DATABASE_URL ever reaches the output.
#pragma once

#include <string_view>

#include <strata/migration_set.hpp>

namespace strata::cli {

// The documented exit codes.
enum ExitCode : int {
  exit_ok = 0,
  exit_failure = 1,
  exit_usage = 2,
  exit_refused = 3,
  exit_lock_timeout = 4,
};

// Runs one command line (argv[0] is the program) for a self-migrating binary whose migrations are
// `set`. `program` names it in usage lines ("myapp migrate"; default: argv[0]'s file name). Never
// throws: every error becomes one line on stderr and a documented exit code.
[[nodiscard]] int run(int argc, const char* const* argv, const MigrationSet& set,
                      std::string_view program = {});
[[nodiscard]] int run(int argc, char** argv, const MigrationSet& set,
                      std::string_view program = {});

// Migrate on start: `up` through the same command handler, exactly as `<program> up` would run it
// (DATABASE_URL, PG* and STRATA_* variables apply; progress, refusals and errors are printed the
// same way). `program` is how a user runs this binary's migrate command ("app migrate"): the
// commands a message suggests (`app migrate resolve …`) start with it. `conninfo` empty:
// DATABASE_URL, else libpq's PG* variables. Returns the exit code (exit_ok when the database is up
// to date, or ahead of this binary); never throws.
[[nodiscard]] int migrate_on_start(const MigrationSet& set, std::string_view program,
                                   std::string_view conninfo = {});

}  // namespace strata::cli
