// `strata check`, `strata generate`, `strata lock`, `strata new`: their options, and the glue
// between the compiler façade, the emitter and the file system.
#include "tool/compiler_commands.hpp"

#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <strata/error.hpp>

#include "check/lint/rules.hpp"
#include "emit/emitter.hpp"
#include "history_table.hpp"
#include "strata/generator/compiler.hpp"
#include "tool/depfile.hpp"
#include "tool/lock_command.hpp"
#include "tool/new_command.hpp"
#include "tool/write_if_changed.hpp"

namespace strata::generator::tool {
namespace {

using cli::HostCommand;
using cli::HostOption;
using cli::HostValues;

const std::vector<std::string>& values_of(const HostValues& values, std::string_view name) {
  static const std::vector<std::string> none;
  for (const auto& [key, given] : values) {
    if (key == name)
      return given;
  }
  return none;
}

std::optional<std::string> value_of(const HostValues& values, std::string_view name) {
  const std::vector<std::string>& given = values_of(values, name);
  return given.empty() ? std::nullopt : std::optional<std::string>{given.back()};
}

bool given(const HostValues& values, std::string_view name) {
  return !values_of(values, name).empty();
}

// Options shared by check, generate and lock besides the source folders.
std::vector<HostOption> checking_options() {
  return {
      {"lock", "FILE", "lock file of released migrations (default: DIR/migrations.lock)", "",
       false},
      {"warnings-as-errors", "", "treat warnings as errors", "", false},
  };
}

}  // namespace

SourceOptions source_options_of(const HostValues& values) {
  SourceOptions options;
  options.migrations_dir = existing_migrations_dir(values);
  if (auto routines = value_of(values, "routines"))
    options.routines_dir = *routines;
  options.ignore_globs = values_of(values, "ignore");
  if (auto lock = value_of(values, "lock"))
    options.lock_file = *lock;
  options.warnings_as_errors = given(values, "warnings-as-errors");
  return options;
}

namespace {

int run_check(const HostValues& values) {
  if (given(values, "list-rules")) {
    lint::print_rules(std::cout);
    return 0;
  }
  const auto compiled = compile(source_options_of(values), std::cerr);
  if (!compiled)
    return 1;
  if (given(values, "list")) {
    for (const strata::Migration& migration : compiled->set()) {
      std::cout << (migration.kind == MigrationKind::routine ? std::string_view{"R"}
                                                             : migration.version)
                << ' ' << migration.name << ' ' << migration.checksum << '\n';
    }
  }
  return 0;
}

std::string required(const HostValues& values, std::string_view command, std::string_view name) {
  if (auto value = value_of(values, name))
    return *value;
  throw ConfigurationError(std::string{command} + " needs --" + std::string{name});
}

int run_generate(const HostValues& values) {
  const std::string name_space = required(values, "generate", "namespace");
  const std::string out_option = required(values, "generate", "out-dir");
  if (!is_valid_namespace(name_space)) {
    throw ConfigurationError("generate: --namespace `" + name_space +
                             "` is not a valid C++ identifier");
  }
  const std::string table = value_of(values, "table").value_or("");
  if (!table.empty())
    static_cast<void>(
        strata::detail::HistoryTable{table});  // ConfigurationError, as --table at run time
  const SourceOptions source = source_options_of(values);
  const auto compiled = compile(source, std::cerr);
  if (!compiled)
    return 1;
  const std::filesystem::path out_dir = std::filesystem::absolute(out_option).lexically_normal();
  EmittedFiles files;
  try {
    files = emit(compiled->set(),
                 EmitOptions{name_space, std::filesystem::absolute(source.migrations_dir), table});
  } catch (const std::length_error& error) {
    std::cerr << "strata generate: " << error.what() << '\n';
    return 1;
  }
  const std::filesystem::path header = out_dir / (name_space + ".hpp");
  const std::filesystem::path unit = out_dir / (name_space + ".cpp");
  std::string error;
  if (!write_if_changed(header, files.header, error) ||
      !write_if_changed(unit, files.source, error)) {
    std::cerr << "strata generate: " << error << '\n';
    return 1;
  }
  if (auto depfile = value_of(values, "depfile")) {
    if (!write_if_changed(*depfile, make_depfile(unit, compiled->inputs()), error)) {
      std::cerr << "strata generate: " << error << '\n';
      return 1;
    }
  }
  return 0;
}

int run_new(const HostValues& values, const std::vector<std::string>& arguments) {
  if (arguments.empty())
    throw ConfigurationError("new needs a NAME: strata new NAME");
  const std::string form = value_of(values, "form").value_or("dbmate");
  NewForm chosen = NewForm::dbmate;
  if (form == "pair") {
    chosen = NewForm::pair;
  } else if (form == "plain") {
    chosen = NewForm::plain;
  } else if (form != "dbmate") {
    throw ConfigurationError("new: unknown --form `" + form + "` (dbmate, pair or plain)");
  }
  return create_migration(arguments.front(), migrations_dir(values), chosen, std::cout, std::cerr);
}

const std::vector<std::string> k_all_sources{"migrations-dir", "routines", "ignore"};

}  // namespace

std::vector<HostOption> source_options() {
  return {
      {"migrations-dir,d", "DIR", "folder of versioned migrations (default: db/migrations)", "",
       false},
      {"routines", "DIR", "folder of routine files (CREATE OR REPLACE ...)", "", false},
      {"ignore", "GLOB", "file name glob in DIR that is not a migration (repeatable)", "", true},
  };
}

std::filesystem::path migrations_dir(const HostValues& values) {
  return value_of(values, "migrations-dir").value_or("db/migrations");
}

std::filesystem::path existing_migrations_dir(const HostValues& values) {
  namespace fs = std::filesystem;
  const fs::path dir = migrations_dir(values);
  std::error_code error;
  if (fs::is_directory(dir, error))
    return dir;
  // sqlx keeps its migrations in ./migrations; dbmate (and strata by default) in db/migrations.
  if (!value_of(values, "migrations-dir") && fs::is_directory("migrations", error)) {
    throw ConfigurationError(
        "no db/migrations; found ./migrations: pass -d migrations (or set "
        "STRATA_MIGRATIONS_DIR=migrations)");
  }
  throw ConfigurationError("no migrations folder " + dir.string() +
                           " (give -d DIR or set STRATA_MIGRATIONS_DIR)");
}

std::vector<HostCommand> compiler_commands() {
  std::vector<HostOption> check_options = checking_options();
  check_options.push_back({"list", "",
                           "after a successful check, print one line per migration: "
                           "`<version> <name> <checksum>` (`R` instead of a version for a routine)",
                           "", false});
  check_options.push_back(
      {"list-rules", "", "print every lint rule id with its explanation, and exit", "", false});
  std::vector<HostOption> generate_options = checking_options();
  generate_options.push_back(
      {"namespace", "NS", "C++ namespace and file base name (required)", "", false});
  generate_options.push_back(
      {"out-dir", "OUT", "folder for <NS>.hpp and <NS>.cpp (required)", "", false});
  generate_options.push_back(
      {"depfile", "FILE", "write a make-syntax depfile naming every input", "", false});
  generate_options.push_back({"table", "NAME",
                              "the history table compiled in: the program's default for --table "
                              "(add_migrations' TABLE)",
                              "", false});
  return {
      {"check", "Run every compile-time check on a migrations folder",
       "Reads the migrations and runs every compile-time check; prints the diagnostics.", "",
       k_all_sources, check_options,
       [](const HostValues& values, const std::vector<std::string>&) { return run_check(values); }},
      {"generate", "Check, then write the C++ table (<NS>.hpp, <NS>.cpp)",
       "Checks the migrations, then writes OUT/NS.hpp and OUT/NS.cpp (only when their content\n"
       "changes). On any error it writes nothing. It reads no STRATA_* variable and no .env\n"
       "option: the files depend only on the command line and the migrations.",
       "", k_all_sources, generate_options,
       [](const HostValues& values, const std::vector<std::string>&) {
         return run_generate(values);
       },
       false},
      {"lock", "Record the versioned migrations as released in migrations.lock",
       "Checks the migrations, then records every versioned migration not yet in the lock file\n"
       "(default DIR/migrations.lock) as released: `<version> <sha256>`. Existing lines never\n"
       "change; routines are never locked.",
       "", k_all_sources, checking_options(),
       [](const HostValues& values, const std::vector<std::string>&) {
         return lock_migrations(source_options_of(values), std::cout, std::cerr);
       }},
      {"new",
       "Create a new migration file",
       "Creates <UTC yyyymmddhhmmss>_NAME in DIR (created if missing) and prints\n"
       "`Creating migration: <path>`.",
       "NAME",
       {"migrations-dir"},
       {{"form",
         "FORM",
         "dbmate (one file with both markers, the default), pair (.up.sql + .down.sql) or plain "
         "(up only)",
         "",
         false,
         {"dbmate", "pair", "plain"}}},
       run_new},
  };
}

int run_compiler_command(int argc, char** argv) {
  cli::Host host;
  host.program = "strata";
  host.options = source_options();
  host.commands = compiler_commands();
  host.read_env_file = true;
  return cli::run(argc, const_cast<const char* const*>(argv), host);
}

}  // namespace strata::generator::tool
