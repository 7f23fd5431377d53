// Prints what app_db embedded: a count line, then one line per migration in the layout of
// `strata check --list` (`<version or R> <name> <checksum>`), so a test can compare the two.
#include <cstdio>

#include "app_db.hpp"

int main() {
  const strata::MigrationSet& set = app_db::migrations();
  std::printf("count %zu\n", set.size());
  for (const strata::Migration& migration : set) {
    const std::string_view version = migration.version.empty() ? "R" : migration.version;
    std::printf("%.*s %.*s %.*s\n", static_cast<int>(version.size()), version.data(),
                static_cast<int>(migration.name.size()), migration.name.data(),
                static_cast<int>(migration.checksum.size()), migration.checksum.data());
  }
  return 0;
}
