// How the tool writes what it generates (the table, its depfile, the lock file): only when the
// content changed, through a temporary file renamed into place, so a build does not recompile an
// unchanged table and a reader never sees half a file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace strata::generator {

// Writes `content` to `path` unless the file already holds exactly that (so the build does not
// recompile an unchanged table). Returns false, with `error` set, when the write fails.
[[nodiscard]] bool write_if_changed(const std::filesystem::path& path, std::string_view content,
                                    std::string& error);

}  // namespace strata::generator
