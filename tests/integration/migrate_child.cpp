// A tiny self-migrating program for the concurrency and crash tests: `migrate_child URL SCENARIO
// [down]` applies the named scenario (scenarios.hpp) with Migrator::up(), or rolls back its newest
// migration with Migrator::down(), and exits 0, or prints the error and exits 1. Many copies run at
// once against one database, as replicas of a service do.
#include <chrono>
#include <cstdio>
#include <exception>
#include <string_view>

#include <strata/migrator.hpp>

#include "integration/scenarios.hpp"

int main(int argc, char** argv) {
  const bool down = argc == 4 && std::string_view{argv[3]} == "down";
  if (argc != 3 && !down) {
    std::fprintf(stderr, "usage: migrate_child URL SCENARIO [down]\n");
    return 2;
  }
  try {
    strata::test::SetBuilder builder;
    strata::test::add_scenario(builder, argv[2]);
    strata::MigratorOptions options;
    options.application_name = "migrate_child";
    options.lock_timeout = std::chrono::seconds{60};
    strata::Migrator migrator{argv[1], builder.set(), options};
    const strata::RunReport report = down ? migrator.down() : migrator.up();
    std::printf("%s %zu\n", down ? "rolled back" : "applied", report.steps.size());
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "migrate_child: %s\n", error.what());
    return 1;
  }
}
