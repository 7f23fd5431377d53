// The `strata` tool's compiler commands: `check`, `generate`, `lock` and `new`.
#pragma once

#include <string_view>

namespace strata::generator::tool {

// Whether `command` is one of check, generate, lock, new.
[[nodiscard]] bool is_compiler_command(std::string_view command) noexcept;

// Runs `strata <command> …`: argv[1] is the command. Returns the process exit code: 0 success,
// 1 errors in the migrations (or an I/O failure), 2 bad usage.
[[nodiscard]] int run_compiler_command(int argc, char** argv);

}  // namespace strata::generator::tool
