// `strata check`, `strata generate`, `strata lock`, `strata new`: option parsing and the glue
// between the compiler façade, the emitter and the file system.
#include "tool/compiler_commands.hpp"

#include <array>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include <boost/program_options.hpp>

#include "check/lint/rules.hpp"
#include "emit/emitter.hpp"
#include "strata/generator/compiler.hpp"
#include "tool/depfile.hpp"
#include "tool/lock_command.hpp"
#include "tool/new_command.hpp"

namespace strata::generator::tool {
namespace po = boost::program_options;
namespace {

constexpr std::array<std::string_view, 4> commands = {"check", "generate", "lock", "new"};

std::string default_migrations_dir() {
  const char* from_environment = std::getenv("STRATA_MIGRATIONS_DIR");
  return from_environment != nullptr && *from_environment != '\0' ? from_environment
                                                                  : "db/migrations";
}

// Options shared by check and generate.
po::options_description source_options() {
  po::options_description options{"Migration sources"};
  options.add_options()("migrations-dir,d",
                        po::value<std::string>()->default_value(default_migrations_dir()),
                        "folder of versioned migrations (env STRATA_MIGRATIONS_DIR)")(
      "routines", po::value<std::string>(), "folder of routine files (CREATE OR REPLACE …)")(
      "ignore", po::value<std::vector<std::string>>()->composing(),
      "file name glob that is not a migration (repeatable)")("lock", po::value<std::string>(),
                                                             "lock file of released migrations")(
      "warnings-as-errors", po::bool_switch(), "treat warnings as errors");
  return options;
}

SourceOptions to_source_options(const po::variables_map& values) {
  SourceOptions options;
  options.migrations_dir = values["migrations-dir"].as<std::string>();
  if (values.count("routines") != 0)
    options.routines_dir = values["routines"].as<std::string>();
  if (values.count("ignore") != 0) {
    options.ignore_globs = values["ignore"].as<std::vector<std::string>>();
  }
  if (values.count("lock") != 0)
    options.lock_file = values["lock"].as<std::string>();
  options.warnings_as_errors = values["warnings-as-errors"].as<bool>();
  return options;
}

// Parses argv[2…]; prints help and returns 0, or prints the error and returns 2, or nullopt to
// go on.
std::optional<int> parse(int argc, char** argv, const po::options_description& options,
                         const po::positional_options_description& positional,
                         std::string_view usage, po::variables_map& values) {
  po::options_description all{options};
  all.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(),
              values);
    po::notify(values);
  } catch (const po::error& error) {
    std::cerr << "strata " << argv[1] << ": " << error.what() << "\nUsage: " << usage
              << "\n(see strata " << argv[1] << " --help)\n";
    return 2;
  }
  if (values.count("help") != 0) {
    std::cout << "Usage: " << usage << "\n\n" << all << '\n';
    return 0;
  }
  return std::nullopt;
}

int run_check(int argc, char** argv) {
  po::options_description options = source_options();
  options.add_options()("list", po::bool_switch(),
                        "after a successful check, print one line per migration: "
                        "`<version> <name> <checksum>` (`R` instead of a version for a routine)")(
      "list-rules", po::bool_switch(), "print every lint rule id with its explanation, and exit");
  po::variables_map values;
  const std::string_view usage =
      "strata check [-d DIR] [--routines DIR] [--ignore GLOB]... [--lock FILE] "
      "[--warnings-as-errors] [--list] [--list-rules]\n\n"
      "Reads the migrations and runs every compile-time check; prints the diagnostics.\n"
      "Exit status: 0 no error, 1 errors, 2 bad usage.";
  if (auto code = parse(argc, argv, options, {}, usage, values))
    return *code;
  if (values["list-rules"].as<bool>()) {
    lint::print_rules(std::cout);
    return 0;
  }
  const auto compiled = compile(to_source_options(values), std::cerr);
  if (!compiled)
    return 1;
  if (values["list"].as<bool>()) {
    for (const strata::Migration& migration : compiled->set()) {
      std::cout << (migration.kind == MigrationKind::routine ? std::string_view{"R"}
                                                             : migration.version)
                << ' ' << migration.name << ' ' << migration.checksum << '\n';
    }
  }
  return 0;
}

int run_generate(int argc, char** argv) {
  po::options_description options = source_options();
  options.add_options()("namespace", po::value<std::string>()->required(),
                        "C++ namespace and file base name")(
      "out-dir", po::value<std::string>()->required(), "folder for <NS>.hpp and <NS>.cpp")(
      "depfile", po::value<std::string>(), "write a make-syntax depfile naming every input");
  po::variables_map values;
  const std::string_view usage =
      "strata generate -d DIR [--routines DIR] --namespace NS --out-dir OUT [--depfile FILE] "
      "[--ignore GLOB]... [--lock FILE] [--warnings-as-errors]\n\n"
      "Checks the migrations, then writes OUT/NS.hpp and OUT/NS.cpp (only when their content\n"
      "changes). On any error it writes nothing. Exit status: 0 written, 1 errors, 2 bad usage.";
  if (auto code = parse(argc, argv, options, {}, usage, values))
    return *code;
  const std::string name_space = values["namespace"].as<std::string>();
  if (!is_valid_namespace(name_space)) {
    std::cerr << "strata generate: --namespace `" << name_space
              << "` is not a valid C++ identifier\n";
    return 2;
  }
  const SourceOptions source = to_source_options(values);
  const auto compiled = compile(source, std::cerr);
  if (!compiled)
    return 1;
  const std::filesystem::path out_dir =
      std::filesystem::absolute(values["out-dir"].as<std::string>()).lexically_normal();
  EmittedFiles files;
  try {
    files = emit(
        compiled->set(),
        EmitOptions{name_space,
                    std::filesystem::absolute(source.migrations_dir).lexically_normal().string()});
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
  if (values.count("depfile") != 0) {
    const std::filesystem::path depfile = values["depfile"].as<std::string>();
    if (!write_if_changed(depfile, make_depfile(unit, compiled->inputs()), error)) {
      std::cerr << "strata generate: " << error << '\n';
      return 1;
    }
  }
  return 0;
}

int run_lock(int argc, char** argv) {
  const po::options_description options = source_options();
  po::variables_map values;
  const std::string_view usage =
      "strata lock [-d DIR] [--routines DIR] [--ignore GLOB]... [--lock FILE] "
      "[--warnings-as-errors]\n\n"
      "Checks the migrations, then records every versioned migration not yet in the lock file\n"
      "(default DIR/migrations.lock) as released: `<version> <sha256>`. Existing lines never\n"
      "change; routines are never locked. Exit status: 0 locked, 1 errors, 2 bad usage.";
  if (auto code = parse(argc, argv, options, {}, usage, values))
    return *code;
  return lock_migrations(to_source_options(values), std::cout, std::cerr);
}

int run_new(int argc, char** argv) {
  po::options_description options{"Options"};
  options.add_options()("name", po::value<std::string>()->required(),
                        "descriptive part of the file name")(
      "migrations-dir,d", po::value<std::string>()->default_value(default_migrations_dir()),
      "folder to create the migration in (env STRATA_MIGRATIONS_DIR; created if missing)")(
      "form", po::value<std::string>()->default_value("dbmate"),
      "dbmate (one file with both markers), pair (.up.sql + .down.sql) or plain (up only)");
  po::positional_options_description positional;
  positional.add("name", 1);
  po::variables_map values;
  const std::string_view usage =
      "strata new NAME [-d DIR] [--form dbmate|pair|plain]\n\n"
      "Creates <UTC yyyymmddhhmmss>_NAME in DIR and prints `Creating migration: <path>`.";
  if (auto code = parse(argc, argv, options, positional, usage, values))
    return *code;
  const std::string form = values["form"].as<std::string>();
  NewForm chosen = NewForm::dbmate;
  if (form == "pair") {
    chosen = NewForm::pair;
  } else if (form == "plain") {
    chosen = NewForm::plain;
  } else if (form != "dbmate") {
    std::cerr << "strata new: unknown --form `" << form << "` (dbmate, pair or plain)\n";
    return 2;
  }
  return create_migration(values["name"].as<std::string>(),
                          values["migrations-dir"].as<std::string>(), chosen, std::cout, std::cerr);
}

}  // namespace

bool is_compiler_command(std::string_view command) noexcept {
  return std::find(commands.begin(), commands.end(), command) != commands.end();
}

int run_compiler_command(int argc, char** argv) {
  if (argc < 2)
    return 2;
  const std::string_view command = argv[1];
  if (command == "check")
    return run_check(argc, argv);
  if (command == "generate")
    return run_generate(argc, argv);
  if (command == "lock")
    return run_lock(argc, argv);
  if (command == "new")
    return run_new(argc, argv);
  return 2;
}

}  // namespace strata::generator::tool
