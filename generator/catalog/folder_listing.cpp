// Listing a migrations folder (see folder_listing.hpp).
#include "catalog/folder_listing.hpp"

#include <algorithm>
#include <fnmatch.h>
#include <string_view>
#include <system_error>

#include "catalog/diagnostics.hpp"

namespace strata::generator {
namespace fs = std::filesystem;

std::optional<std::vector<fs::directory_entry>> sorted_entries(const fs::path& folder,
                                                               Diagnostics& diagnostics) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    diagnostics.add(folder, "strata-E111", "folder not found",
                    "pass the migrations folder with -d DIR (default db/migrations, or "
                    "STRATA_MIGRATIONS_DIR) and the routines folder with --routines DIR");
    return std::nullopt;
  }
  std::vector<fs::directory_entry> result;
  for (fs::directory_iterator it{folder, error}, end; !error && it != end; it.increment(error))
    result.push_back(*it);
  if (error)
    diagnostics.add(folder, "strata-E110", "cannot list folder: " + error.message());
  // By the name's bytes, which is what comparing path::filename() does, without building two
  // paths per comparison.
  const auto name = [](const fs::directory_entry& entry) {
    const std::string_view path = entry.path().native();
    return path.substr(path.rfind('/') + 1);
  };
  std::sort(result.begin(), result.end(),
            [&](const auto& a, const auto& b) { return name(a) < name(b); });
  return result;
}

bool is_ignored(std::span<const std::string> globs, const std::string& file_name) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), file_name.c_str(), FNM_PERIOD) == 0;
  });
}

std::vector<fs::path> files_a_walk_reads(const std::vector<fs::directory_entry>& listed,
                                         std::span<const std::string> globs,
                                         const std::optional<fs::path>& routines) {
  std::vector<fs::path> paths;
  paths.reserve(listed.size());
  for (const auto& entry : listed) {
    const std::string file_name = entry.path().filename().string();
    if (is_ignored(globs, file_name))
      continue;
    std::error_code error;
    if (!entry.is_directory(error)) {
      if (file_name.ends_with(".sql"))
        paths.push_back(entry.path());
    } else if (!routines || entry.path() != *routines) {
      paths.push_back(entry.path() / "up.sql");
      paths.push_back(entry.path() / "down.sql");
    }
  }
  return paths;
}

}  // namespace strata::generator
