// Prints what app_db embedded: a count line, then one line per migration in the layout of
// `strata check --list` (`<version or R> <name> <checksum>`), so a test can compare the two.
// `consumer migrate <command>` hands over to strata's CLI, as a self-migrating service does.
#include <cstdio>
#include <string_view>

#include <strata/version.hpp>

#include "app_db.hpp"
#ifdef CONSUMER_HAS_CLI
#  include <strata/cli.hpp>
#endif

static_assert(strata::version_string == STRATA_PACKAGE_VERSION,
              "<strata/version.hpp> disagrees with the version of the strata package");

int main(int argc, char** argv) {
  const strata::MigrationSet& set = app_db::migrations();
#ifdef CONSUMER_HAS_CLI
  if (argc > 1 && std::string_view{argv[1]} == "migrate") {
    return strata::cli::run(argc - 1, argv + 1, set, "consumer migrate");
  }
#else
  (void)argc;
  (void)argv;
#endif
  std::printf("count %zu\n", set.size());
  for (const strata::Migration& migration : set) {
    const std::string_view version = migration.version.empty() ? "R" : migration.version;
    std::printf("%.*s %.*s %.*s\n", static_cast<int>(version.size()), version.data(),
                static_cast<int>(migration.name.size()), migration.name.data(),
                static_cast<int>(migration.checksum.size()), migration.checksum.data());
  }
  return 0;
}
