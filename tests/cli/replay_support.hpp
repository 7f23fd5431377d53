// What the `strata replay` tests share: a migrations folder of their own and the replay command
// line that proves it on the test server.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "cli_support.hpp"
#include "support/database.hpp"

namespace strata::test::replay_test {

// A migrations folder under the temporary directory, removed when this goes away. Its tables are
// named after `tag` so that no two tests share a verified template on the test server.
class Folder {
 public:
  explicit Folder(const std::string& tag)
      : m_path(std::filesystem::temp_directory_path() / ("strata-replay-" + tag)) {
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path / "m");
  }
  ~Folder() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  void write(const std::string& name, const std::string& text) const {
    std::ofstream{m_path / "m" / name, std::ios::binary} << text;
  }
  [[nodiscard]] std::string dir() const { return (m_path / "m").string(); }
  [[nodiscard]] std::string file(const std::string& name) const { return (m_path / name).string(); }

 private:
  std::filesystem::path m_path;
};

inline std::string read(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `strata replay -v` of the folder on the test server, with `extra` arguments.
inline ProcessResult replay(const Folder& folder, const TempDatabase& server,
                            std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"replay", "-d", folder.dir(), "--scratch-url", server.url(), "-v"};
  args.insert(args.end(), extra.begin(), extra.end());
  return strata_tool(args);
}

}  // namespace strata::test::replay_test
