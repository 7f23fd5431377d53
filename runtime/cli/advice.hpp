// What the CLI suggests after a refusal: command lines for the program that printed them (the
// `strata` tool, or a self-migrating binary's `myapp migrate`), pointed at the same migrations and
// history table, each written between backquotes so that a person or a test can copy it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <strata/error.hpp>

#include "command_line.hpp"
#include "host.hpp"

namespace strata::cli {

// `program` and `args` as one would type them into a POSIX shell: an argument with characters a
// shell treats specially is single-quoted.
[[nodiscard]] std::string command_text(std::string_view program,
                                       const std::vector<std::string>& args);

// The options that point another command at what `invocation` used: --table when not the default,
// and each host option whose values differ from its default (the tool's -d, --routines, ...).
// Never --url: it may hold a password; the command finds the server as this one did otherwise.
[[nodiscard]] std::vector<std::string> same_target_options(const Host& host,
                                                           const Invocation& invocation);

// The lines printed under a refusal's message: for a migration or rollback that stopped part-way,
// the `resolve` commands that settle it; nothing for the other refusals, whose message names the
// option that overrides them.
[[nodiscard]] std::vector<std::string> refusal_advice(const RefusedError& error, const Host& host,
                                                      const Invocation& invocation);

}  // namespace strata::cli
