// What the CLI tests share: the paths of the real binaries, a scratch copy of the sample
// migrations to edit, and JSON parsing of --json output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <boost/property_tree/ptree.hpp>

#include "process.hpp"

namespace strata::test {

// The `strata` tool and the example service, as built in this tree.
[[nodiscard]] ProcessResult strata_tool(const std::vector<std::string>& args,
                                        const Environment& environment = {},
                                        const std::string& working_directory = {});
[[nodiscard]] ProcessResult auth_service(const std::vector<std::string>& args,
                                         const Environment& environment = {});

// The top-level sample migrations folder.
[[nodiscard]] std::filesystem::path sample_migrations();
// `-d <sample> --routines <sample>/routines` for the strata tool.
[[nodiscard]] std::vector<std::string> sample_args();

// A private copy of the sample migrations (routines included), removed when it goes away, so a
// test can edit, add and delete files.
class MigrationsCopy {
 public:
  MigrationsCopy();
  ~MigrationsCopy();
  MigrationsCopy(const MigrationsCopy&) = delete;
  MigrationsCopy& operator=(const MigrationsCopy&) = delete;

  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return m_dir; }
  // `-d <dir> --routines <dir>/routines` for the strata tool.
  [[nodiscard]] std::vector<std::string> args() const {
    return {"-d", m_dir.string(), "--routines", (m_dir / "routines").string()};
  }
  void write(const std::string& relative, const std::string& text) const;
  void remove(const std::string& relative) const;
  // Replaces the first `from` in the file by `to`.
  void edit(const std::string& relative, const std::string& from, const std::string& to) const;

 private:
  std::filesystem::path m_root;
  std::filesystem::path m_dir;
};

// The `strata` tool with `args`, then `--url url`, then `source` (sample_args(), or a
// MigrationsCopy's args()).
[[nodiscard]] ProcessResult strata_tool_at(const std::string& url,
                                           const std::vector<std::string>& args,
                                           const std::vector<std::string>& source);
// The same with a copy's folders: `args`, `--url url`, `copy.args()`.
[[nodiscard]] ProcessResult strata_tool_at(const std::string& url, const MigrationsCopy& copy,
                                           const std::vector<std::string>& args);

// Waits (up to 5 s) until another session of the database at `url` runs a query containing
// `fragment`, e.g. a migration inside its pg_sleep. False when none did.
[[nodiscard]] bool wait_for_query(const std::string& url, const std::string& fragment);

// Parses a --json document; throws (failing the test) when it is not valid JSON.
[[nodiscard]] boost::property_tree::ptree parse_json(const std::string& text);

// The `migrations` array of `status --json` as (name-with-version, state) pairs, in order.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> states(const std::string& json);

// Joins argument lists: `{"status", "--url", url} + copy.args()`.
[[nodiscard]] std::vector<std::string> operator+(std::vector<std::string> a,
                                                 const std::vector<std::string>& b);

}  // namespace strata::test
