// Reading a folder's files before the catalog walks them. Opening and reading a file is a few
// system calls whose cost is mostly the kernel's, and a command run on a 1,000-migration folder
// (`strata status`) spends most of its own time there; two threads halve it. The catalog still
// walks the folder in order and reports every problem where it did before: a prefetched file only
// saves the read, never decides what the file is.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/file_kind.hpp"

namespace strata::generator {

// What read_regular_file() gave for one path.
struct FileContents {
  FileProblem problem;
  std::string bytes;
  bool out_of_memory = false;  // the bytes did not fit: the reader says so, naming the file
};

class PrefetchedFiles {
 public:
  PrefetchedFiles() = default;
  // Reads every path of `paths` with read_regular_file(), on two threads when there are many and
  // a second thread can be started. Throws only std::bad_alloc for the list itself.
  explicit PrefetchedFiles(const std::vector<std::filesystem::path>& paths);

  // The contents read for `path`, handed over once; nullopt when `path` was not read here.
  [[nodiscard]] std::optional<FileContents> take(const std::filesystem::path& path);

 private:
  std::unordered_map<std::string, FileContents> m_contents;  // by path
};

}  // namespace strata::generator
