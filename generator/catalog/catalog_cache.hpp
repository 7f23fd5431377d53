// The catalog of a migrations folder as an earlier run of the `strata` tool loaded it, kept in the
// user's cache folder and keyed, as git's index keys `git status`, by the identity of every folder
// and file the catalog read: device, inode, size, and modification and change times to the
// nanosecond. A run-time command on an unchanged folder of 1,000 migrations then reads one cache
// file and looks at 1,000 inodes instead of reading 1,000 files; a migration's text is read when a
// command needs it (SourceFile::read_text), and must then still be what the cache recorded.
//
// It never hides a change. Editing a file changes its change time (ctime: the kernel sets it, no
// tool can set it back, unlike the modification time); adding, removing or renaming a file changes
// its folder's times; another strata (version, or executable: a rebuild), other folders or ignore
// globs are another cache. And an
// input changed less than `racy_window` before the cache was written is not cached at all: a
// second change in the same timestamp tick (FAT's is 2 s) would leave its times as they were.
// Only a catalog loaded without any diagnostic is cached, so a hit has none to repeat.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "catalog/catalog.hpp"

namespace strata::generator {

struct SourceOptions;

class CatalogCache {
 public:
  static constexpr std::chrono::seconds racy_window{3};

  // The cache of the folders of `options` in `folder`. `lock_file` (checked after the catalog,
  // maybe absent) is keyed too: a changed lock file is a miss, not a stale verdict.
  CatalogCache(const std::filesystem::path& folder, const SourceOptions& options,
               std::filesystem::path lock_file);

  // STRATA_CATALOG_CACHE when set (`off`: no cache), else $XDG_CACHE_HOME/strata/catalog, else
  // ~/.cache/strata/catalog; nullopt when there is none.
  [[nodiscard]] static std::optional<std::filesystem::path> default_folder();

  // The catalog recorded, when every input it recorded is as it was; its files are not read
  // (SourceFile::unread), and its `inputs` are not listed (only generate's depfile needs them,
  // and generate never uses the cache: a thousand paths cost more than the rest of a hit). nullopt
  // when there is none, or it is stale, damaged or unreadable. Throws std::bad_alloc only.
  [[nodiscard]] std::optional<Catalog> load() const;

  // Records `catalog` (loaded from disk without a diagnostic), unless an input changed less than
  // racy_window before `now`. Best effort, never throws: returns whether the cache was written
  // (a folder that cannot be written is no error; the next run reads the folder again).
  bool store(const Catalog& catalog,
             std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

  // Where the cache lives.
  [[nodiscard]] const std::filesystem::path& file() const noexcept { return m_file; }

 private:
  std::filesystem::path m_file;
  std::string m_key;  // what the catalog depends on besides its inputs: options, strata version
  std::filesystem::path m_lock_file;
};

}  // namespace strata::generator
