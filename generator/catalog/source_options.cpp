// OutOfMemory's message, the same wherever a stage runs out; the one spelling of a path.
#include "catalog/source_options.hpp"

#include <string>
#include <system_error>

namespace strata::generator {

std::filesystem::path absolute_path(const std::filesystem::path& path) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  return (error ? path : absolute).lexically_normal();
}

OutOfMemory::OutOfMemory(std::string_view doing, const std::filesystem::path& file)
    : strata::Error("out of memory while " + std::string{doing} + ' ' + file.string() +
                    ": give strata more memory, or split the file into smaller migrations"),
      m_file(file) {}

}  // namespace strata::generator
