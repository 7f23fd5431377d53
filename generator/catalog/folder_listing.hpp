// Listing a migrations folder: its entries in a stable order, the names the user excluded, and
// the files a walk of the listing may read (which the catalog reads ahead, catalog/prefetch.hpp).
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace strata::generator {

class Diagnostics;

// The entries of `folder` sorted by their names' bytes, so diagnostics and ties come out the same
// everywhere. nullopt when `folder` is not a folder (reported as strata-E111); a listing that
// fails part way is reported as strata-E110 and what was listed is returned.
[[nodiscard]] std::optional<std::vector<std::filesystem::directory_entry>> sorted_entries(
    const std::filesystem::path& folder, Diagnostics& diagnostics);

// Whether `file_name` matches one of the --ignore `globs` (fnmatch, a leading `.` matched only
// explicitly).
[[nodiscard]] bool is_ignored(std::span<const std::string> globs, const std::string& file_name);

// The files a walk of `listed` may read: every `.sql` file not ignored, and each folder's up.sql
// and down.sql (a Diesel migration), the routines folder aside.
[[nodiscard]] std::vector<std::filesystem::path> files_a_walk_reads(
    const std::vector<std::filesystem::directory_entry>& listed, std::span<const std::string> globs,
    const std::optional<std::filesystem::path>& routines);

}  // namespace strata::generator
