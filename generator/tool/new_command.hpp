// `strata new NAME`: creates an empty migration file in the chosen form.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

namespace strata::generator::tool {

enum class NewForm { dbmate, pair, plain };

// Creates `<version>_<name>` in `folder` (created if missing) and prints
// `Creating migration: <path>` for each file. The version is the UTC time (yyyymmddhhmmss), or the
// next number when the folder's versions are sequential (001, 002 → 003). Blanks in `name` become
// `_` ("add user profiles" → add_user_profiles). Returns the exit code (0, 1 on I/O failure or an
// existing file, 2 on an invalid name).
[[nodiscard]] int create_migration(const std::string& name, const std::filesystem::path& folder,
                                   NewForm form, std::ostream& out, std::ostream& err);

}  // namespace strata::generator::tool
