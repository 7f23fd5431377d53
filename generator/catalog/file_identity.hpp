// What identifies the state of a folder or file without reading it (device, inode, size,
// modification and change times), and looking it up cheaply for many names: the catalog cache
// (catalog_cache.hpp) vouches for a folder by these.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

namespace strata::generator {

// If any of it differs, the folder or file may have changed.
struct FileIdentity {
  std::uint64_t type = 0;  // st_mode's file type bits; 0: the path does not exist
  std::uint64_t device_major = 0;
  std::uint64_t device_minor = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t modified_seconds = 0;
  std::uint64_t modified_nanoseconds = 0;
  std::int64_t changed_seconds = 0;
  std::uint64_t changed_nanoseconds = 0;

  bool operator==(const FileIdentity&) const = default;

  // The later of the modification and change times, in nanoseconds since the epoch.
  [[nodiscard]] std::int64_t last_change() const noexcept;
};

// The identity of `name` in the folder open as `folder` (a descriptor, or AT_FDCWD), following
// links as reading does; one that does not exist has type 0. nullopt when it cannot be looked at.
[[nodiscard]] std::optional<FileIdentity> identity_of(int folder, const char* name);

// Looks up names folder by folder: each lookup then walks one path component, not the whole
// absolute path (on a 1,000-file folder, most of the time a catalog cache hit takes). Consecutive
// lookups in one folder share its descriptor. Owns that descriptor; not copied.
class FolderLookups {
 public:
  FolderLookups() = default;
  FolderLookups(const FolderLookups&) = delete;
  FolderLookups& operator=(const FolderLookups&) = delete;
  ~FolderLookups() { close_current(); }

  // The identity of `name` in `folder` (see identity_of); a missing folder makes every name in
  // it missing.
  [[nodiscard]] std::optional<FileIdentity> identity(const std::string& folder,
                                                     const std::string& name);

 private:
  void close_current() noexcept;

  std::string m_path;
  int m_fd = -1;
  bool m_missing = false;
};

// `path` as the folder to look in and the name to look up there. A folder named with a trailing
// separator ("db/migrations/" stays so through lexically_normal()) is itself: "." in it.
[[nodiscard]] std::pair<std::string, std::string> folder_and_name(
    const std::filesystem::path& path);

}  // namespace strata::generator
