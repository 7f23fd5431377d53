// The `strata` tool: the compiler's commands (check, generate, lock, new), and every run-time
// command of strata::cli (status, up, down, plan, …) over a migrations folder read at run time —
// dbmate's daily workflow without a rebuild. The folder goes through the same checks as a build,
// so `strata up -d DIR` applies exactly the table a generated binary would carry; but only the
// migrations not applied unchanged are checked again (LazilyCheckedSet): those applied unchanged
// were checked when they were applied. One command line parses them all (strata::cli::run).
#include <filesystem>
#include <iostream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <strata/cli.hpp>
#include <strata/error.hpp>
#include <strata/generator/compiler.hpp>

#include "catalog/catalog_cache.hpp"
#include "host.hpp"
#include "tool/compiler_commands.hpp"

namespace {

// `text` as one shell word: as it is when that is safe, else in single quotes.
std::string shell_word(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_./-=:@%+,") == std::string::npos;
  if (plain)
    return text;
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return quoted + "'";
}

// The `strata check` command line that prints every diagnostic of the same folders.
std::string check_command(const strata::generator::SourceOptions& options) {
  std::string command = "strata check -d " + shell_word(options.migrations_dir.string());
  if (options.routines_dir)
    command += " --routines " + shell_word(options.routines_dir->string());
  for (const std::string& glob : options.ignore_globs)
    command += " --ignore " + shell_word(glob);
  return command;
}

// Reads the folders named on the command line; their SQL is checked on demand (see prepare()).
// Diagnostics are printed only when the set does not compile, and then only the errors: warnings
// belong to `strata check`, not to every `strata status`, and must not bury the error that
// stopped `strata up`. A command that only compares what is applied unchanged reads an unchanged
// folder through the catalog cache.
std::optional<strata::generator::LazilyCheckedSet> load(const strata::cli::HostValues& values,
                                                        strata::cli::SetUse use) {
  namespace fs = std::filesystem;
  strata::generator::SourceOptions options = strata::generator::tool::source_options_of(values);
  if (options.routines_dir && !fs::is_directory(*options.routines_dir))
    throw strata::ConfigurationError("--routines: no folder " + options.routines_dir->string());
  options.errors_only = true;
  std::ostringstream diagnostics;
  auto loaded = strata::generator::LazilyCheckedSet::load(
      options, diagnostics,
      use == strata::cli::SetUse::compare ? strata::generator::CatalogCache::default_folder()
                                          : std::nullopt);
  if (!loaded)
    std::cerr << diagnostics.str() << "strata: error: the migrations do not compile (every "
              << "diagnostic: " << check_command(options) << ")\n";
  return loaded;
}

// Checks the migrations a command needs: those not applied unchanged.
std::optional<std::size_t> prepare(strata::generator::LazilyCheckedSet& loaded,
                                   std::span<const std::size_t> positions) {
  std::ostringstream diagnostics;
  const std::optional<std::size_t> checked = loaded.check(positions, diagnostics);
  if (!checked)
    std::cerr << diagnostics.str() << "strata: error: the migrations do not compile (every "
              << "diagnostic: " << check_command(loaded.options()) << ")\n";
  return checked;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<strata::generator::LazilyCheckedSet> loaded;
  strata::cli::Host host;
  host.program = "strata";
  host.options = strata::generator::tool::source_options();
  host.commands = strata::generator::tool::compiler_commands();
  host.read_env_file = true;
  host.load_reads_files = true;
  host.load = [&loaded](const strata::cli::HostValues& values,
                        strata::cli::SetUse use) -> const strata::MigrationSet* {
    loaded = load(values, use);
    return loaded ? &loaded->set() : nullptr;
  };
  host.reading_note = [&loaded] {
    if (!loaded)
      return std::string{};
    const auto files = loaded->files_read();
    return "read " + std::to_string(files.read) + " of the " + std::to_string(files.total) +
           " migration files" +
           (files.read < files.total ? " (the catalog cache vouched for the others unread)" : "");
  };
  host.prepare = [&loaded](std::span<const std::size_t> positions) {
    return prepare(*loaded, positions);
  };
  host.survey = [&loaded](std::span<const std::size_t> positions) {
    strata::generator::LazilyCheckedSet::Survey survey = loaded->survey(positions);
    strata::cli::HostSurvey result{survey.checked, {}};
    for (auto& failure : survey.failures)
      result.not_compiling.emplace_back(failure.position, std::move(failure.error));
    return result;
  };
  return strata::cli::run(argc, const_cast<const char* const*>(argv), host);
}
