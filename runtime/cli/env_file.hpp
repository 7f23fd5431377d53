// `.env` files, as dbmate and sqlx read them: KEY=VALUE lines that fill in the environment.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::cli {

// The KEY=VALUE pairs of a .env text, in order. Blank lines and `#` comments are skipped; `export `
// before a key is allowed; a value may be 'single-quoted' (literal), "double-quoted" (with the
// escapes backslash-n, backslash-quote and backslash-backslash) or bare (trimmed, ` #` starts a
// comment). Throws ConfigurationError naming `path`:line for a line that is none of these.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_env_file(
    std::string_view text, const std::string& path);

// Reads `path` when it exists and sets each variable the environment does not already have (the
// real environment wins). Throws ConfigurationError for an unreadable or malformed file.
void load_env_file(const std::filesystem::path& path);

}  // namespace strata::cli
