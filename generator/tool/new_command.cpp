// `strata new`.
#include "tool/new_command.hpp"

#include <chrono>
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

}  // namespace

int create_migration(const std::string& name, const std::filesystem::path& folder, NewForm form,
                     std::ostream& out, std::ostream& err) {
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
  const std::string base = utc_timestamp() + '_' + name;
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
