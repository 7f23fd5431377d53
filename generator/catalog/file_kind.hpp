// Reading a migration file safely. Only a regular file, or a symbolic link to one, is ever read:
// a FIFO named like a migration would block the reader forever and a link to /dev/zero never
// ends, so the file is opened without blocking and its type checked on the open descriptor (no
// gap between looking and reading) before one byte is read.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "catalog/diagnostic_ids.hpp"

namespace strata::generator {

// Why a file could not be read: a diagnostic id, a message, and a hint (possibly empty).
struct FileProblem {
  std::optional<DiagnosticId> id;  // none when there is no problem
  std::string message;
  std::string hint;

  [[nodiscard]] bool ok() const noexcept { return !id; }
};

// Reads the whole of `path` into `bytes`. A path that is not a regular file (after following
// links) is strata-E112 naming its type ("a FIFO (named pipe)", "a folder", …); a file that
// cannot be opened or read is strata-E110 with the operating system's reason.
[[nodiscard]] FileProblem read_regular_file(const std::filesystem::path& path, std::string& bytes);

// "cannot read folder: <the operating system's reason>" for a folder the catalog cannot look
// into, with the hint that goes with the reason.
[[nodiscard]] FileProblem unreadable_folder(const std::error_code& error);

}  // namespace strata::generator
