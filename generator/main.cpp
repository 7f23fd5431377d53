// The `strata` tool: the migration compiler's commands (check, generate, new). The run-time
// commands (up, down, status, …) are dispatched to strata::cli.
#include <iostream>
#include <string_view>

#include "tool/compiler_commands.hpp"

int main(int argc, char** argv) {
  if (argc >= 2 && strata::generator::tool::is_compiler_command(argv[1])) {
    return strata::generator::tool::run_compiler_command(argc, argv);
  }
  std::cerr << "Usage: strata <command> [options]\n\n"
               "Compiler commands:\n"
               "  check      run every compile-time check on a migrations folder\n"
               "  generate   check, then write the C++ table (<NS>.hpp, <NS>.cpp)\n"
               "  new        create a new migration file\n\n"
               "Run `strata <command> --help` for a command's options.\n";
  return 2;
}
