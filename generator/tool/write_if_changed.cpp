// Writing a generated file only when its content changed.
#include "tool/write_if_changed.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

namespace strata::generator {

bool write_if_changed(const std::filesystem::path& path, std::string_view content,
                      std::string& error) {
  {
    std::ifstream in{path, std::ios::binary};
    if (in) {
      std::ostringstream existing;
      existing << in.rdbuf();
      if (existing.view() == content)
        return true;
    }
  }
  std::error_code ec;
  if (path.has_parent_path())
    std::filesystem::create_directories(path.parent_path(), ec);
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out{temporary, std::ios::binary | std::ios::trunc};
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
      error = "cannot write " + temporary.string();
      return false;
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    error = "cannot write " + path.string() + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace strata::generator
