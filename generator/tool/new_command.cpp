// `strata new`.
#include "tool/new_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <ostream>
#include <vector>

#include "catalog/file_names.hpp"

namespace strata::generator::tool {
namespace {

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y%m%d%H%M%S", &utc);
  return buffer;
}

// "add user profiles table" → "add_user_profiles_table": a name typed as words becomes one token.
std::string slug(std::string_view name) {
  std::string out;
  bool gap = false;
  for (const char c : name) {
    if (c == ' ' || c == '\t') {
      gap = !out.empty();
      continue;
    }
    if (gap)
      out += '_';
    gap = false;
    out += c;
  }
  return out;
}

// The version of the new file: the next number in a folder numbered 1, 2, 3 (or 001, 002, keeping
// the width), as sqlx's `add -s` does; otherwise the UTC time, as dbmate does. A folder counts as
// sequential when it holds versioned migrations and every version is digits shorter than a
// timestamp.
std::string next_version(const std::filesystem::path& folder) {
  std::size_t width = 0;
  std::uint64_t newest = 0;
  bool any = false;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator{folder, error}) {
    const std::string file_name = entry.path().filename().string();
    const ClassifiedName classified = entry.is_directory(error) ? classify_directory_name(file_name)
                                                                : classify_file_name(file_name);
    if (classified.kind == NameKind::not_sql || classified.kind == NameKind::routine ||
        classified.kind == NameKind::invalid) {
      continue;
    }
    const std::string& version = classified.version;
    if (version.empty() || version.size() >= 8 ||
        version.find_first_not_of("0123456789") != std::string::npos) {
      return utc_timestamp();
    }
    any = true;
    width = std::max(width, version.size());
    newest = std::max<std::uint64_t>(newest, std::stoull(version));
  }
  if (!any)
    return utc_timestamp();
  std::string next = std::to_string(newest + 1);
  if (next.size() < width)
    next.insert(0, width - next.size(), '0');
  return next;
}

}  // namespace

int create_migration(const std::string& typed_name, const std::filesystem::path& folder,
                     NewForm form, std::ostream& out, std::ostream& err) {
  const std::string name = slug(typed_name);
  if (!is_valid_migration_name(name)) {
    err << "strata new: `" << name
        << "` is not a valid migration name (no path separators or control characters, and "
           "none of \\ : * ? \" < > |)\n";
    return 2;
  }
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    err << "strata new: cannot create " << folder.string() << ": " << error.message() << '\n';
    return 1;
  }
  const std::string base = next_version(folder) + '_' + name;
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  switch (form) {
    case NewForm::dbmate:
      files.emplace_back(folder / (base + ".sql"), "-- migrate:up\n\n\n-- migrate:down\n\n");
      break;
    case NewForm::pair:
      files.emplace_back(folder / (base + ".up.sql"), "");
      files.emplace_back(folder / (base + ".down.sql"), "");
      break;
    case NewForm::plain:
      files.emplace_back(folder / (base + ".sql"), "");
      break;
  }
  for (const auto& [path, content] : files) {
    if (std::filesystem::exists(path, error)) {
      err << "strata new: " << path.string() << " already exists\n";
      return 1;
    }
  }
  for (const auto& [path, content] : files) {
    std::ofstream file{path, std::ios::binary};
    file << content;
    if (!file) {
      err << "strata new: cannot write " << path.string() << '\n';
      return 1;
    }
    out << "Creating migration: " << path.string() << '\n';
  }
  return 0;
}

}  // namespace strata::generator::tool
