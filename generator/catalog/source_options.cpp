// OutOfMemory's message, the same wherever a stage runs out.
#include "catalog/source_options.hpp"

#include <string>

namespace strata::generator {

OutOfMemory::OutOfMemory(std::string_view doing, const std::filesystem::path& file)
    : strata::Error("out of memory while " + std::string{doing} + ' ' + file.string() +
                    ": give strata more memory, or split the file into smaller migrations"),
      m_file(file) {}

}  // namespace strata::generator
