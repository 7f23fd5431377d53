// The `strata` tool's compiler commands (check, generate, lock, new) as commands of the shared
// command line (strata::cli): one parser, one help style for every command of the tool.
#pragma once

#include <filesystem>
#include <vector>

#include <strata/generator/compiler.hpp>

#include "host.hpp"

namespace strata::generator::tool {

// The options naming the migration sources, taken by every command that reads the folder:
// -d/--migrations-dir, --routines, --ignore.
[[nodiscard]] std::vector<cli::HostOption> source_options();

// check, generate, lock and new. Each returns its exit code: 0 success, 1 errors in the
// migrations (or an I/O failure); bad usage throws ConfigurationError (exit 2).
[[nodiscard]] std::vector<cli::HostCommand> compiler_commands();

// The migrations folder of a command line: -d (or STRATA_MIGRATIONS_DIR), else db/migrations.
[[nodiscard]] std::filesystem::path migrations_dir(const cli::HostValues& values);
// The same, when it must exist. Throws ConfigurationError when it does not — naming ./migrations
// when that is there instead (sqlx's folder).
[[nodiscard]] std::filesystem::path existing_migrations_dir(const cli::HostValues& values);

// The source folders and checking options of a command line: -d, --routines, --ignore, --lock,
// --warnings-as-errors.
[[nodiscard]] SourceOptions source_options_of(const cli::HostValues& values);

// The tool without a migration set to run: only the compiler commands. argv[0] is the program.
// For running the commands in-process (tests).
[[nodiscard]] int run_compiler_command(int argc, char** argv);

}  // namespace strata::generator::tool
