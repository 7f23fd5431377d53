// Make-syntax depfiles (what Ninja's and CMake's DEPFILE read).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace strata::generator::tool {

// `target: dep dep …` with spaces, `#`, `$` and backslashes escaped for make/Ninja.
[[nodiscard]] std::string make_depfile(const std::filesystem::path& target,
                                       const std::vector<std::filesystem::path>& dependencies);

}  // namespace strata::generator::tool
