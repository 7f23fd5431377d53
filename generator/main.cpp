// The `strata` tool: the compiler's commands (check, generate, lock, new), and every run-time
// command of strata::cli (status, up, down, plan, …) over a migrations folder read at run time —
// dbmate's daily workflow without a rebuild. The folder goes through the same compile() as a build,
// so `strata up -d DIR` applies exactly the table a generated binary would carry.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "tool/compiler_commands.hpp"

#ifdef STRATA_TOOL_HAS_CLI
#  include <strata/cli.hpp>
#  include <strata/error.hpp>
#  include <strata/generator/compiler.hpp>
#endif

namespace {

#ifdef STRATA_TOOL_HAS_CLI
std::string default_migrations_dir() {
  const char* from_environment = std::getenv("STRATA_MIGRATIONS_DIR");
  return from_environment != nullptr && *from_environment != '\0' ? from_environment
                                                                  : "db/migrations";
}

const std::vector<std::string>& values_of(const strata::cli::HostValues& values,
                                          std::string_view name) {
  static const std::vector<std::string> none;
  for (const auto& [key, given] : values) {
    if (key == name)
      return given;
  }
  return none;
}

// Reads and checks the folders named on the command line. Diagnostics are printed only when the
// set does not compile: warnings belong to `strata check`, not to every `strata status`.
std::optional<strata::generator::CompiledSet> load(const strata::cli::HostValues& values) {
  namespace fs = std::filesystem;
  strata::generator::SourceOptions options;
  const std::vector<std::string>& dir = values_of(values, "migrations-dir");
  options.migrations_dir = dir.empty() ? default_migrations_dir() : dir.back();
  if (!fs::is_directory(options.migrations_dir)) {
    throw strata::ConfigurationError("no migrations folder " + options.migrations_dir.string() +
                                     " (give -d DIR or set STRATA_MIGRATIONS_DIR)");
  }
  if (const auto& routines = values_of(values, "routines"); !routines.empty()) {
    options.routines_dir = routines.back();
    if (!fs::is_directory(*options.routines_dir)) {
      throw strata::ConfigurationError("--routines: no folder " + routines.back());
    }
  }
  options.ignore_globs = values_of(values, "ignore");
  std::ostringstream diagnostics;
  std::optional<strata::generator::CompiledSet> compiled =
      strata::generator::compile(options, diagnostics);
  if (!compiled)
    std::cerr << diagnostics.str() << "strata: error: the migrations do not compile\n";
  return compiled;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && strata::generator::tool::is_compiler_command(argv[1])) {
    return strata::generator::tool::run_compiler_command(argc, argv);
  }
#ifdef STRATA_TOOL_HAS_CLI
  std::optional<strata::generator::CompiledSet> compiled;
  strata::cli::Host host;
  host.program = "strata";
  host.options = {
      {"migrations-dir,d", "DIR",
       "folder of versioned migrations (default: $STRATA_MIGRATIONS_DIR, else db/migrations)", "",
       false},
      {"routines", "DIR", "folder of routine files (CREATE OR REPLACE ...)", "", false},
      {"ignore", "GLOB", "file name glob in DIR that is not a migration (repeatable)", "", true},
  };
  host.commands = {
      {"check", "Run every compile-time check on a migrations folder"},
      {"generate", "Check, then write the C++ table (<NS>.hpp, <NS>.cpp)"},
      {"lock", "Record the versioned migrations as released in migrations.lock"},
      {"new", "Create a new migration file"},
  };
  host.load = [&compiled](const strata::cli::HostValues& values) -> const strata::MigrationSet* {
    compiled = load(values);
    return compiled ? &compiled->set() : nullptr;
  };
  return strata::cli::run(argc, argv, host);
#else
  std::cerr << "Usage: strata <command> [options]\n\n"
               "Compiler commands:\n"
               "  check      run every compile-time check on a migrations folder\n"
               "  generate   check, then write the C++ table (<NS>.hpp, <NS>.cpp)\n"
               "  lock       record the versioned migrations as released (migrations.lock)\n"
               "  new        create a new migration file\n\n"
               "Run `strata <command> --help` for a command's options.\n";
  return 2;
#endif
}
