// File identities by statx (see file_identity.hpp).
#include "catalog/file_identity.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::generator {

std::int64_t FileIdentity::last_change() const noexcept {
  const std::int64_t modified =
      modified_seconds * 1'000'000'000 + static_cast<std::int64_t>(modified_nanoseconds);
  const std::int64_t changed =
      changed_seconds * 1'000'000'000 + static_cast<std::int64_t>(changed_nanoseconds);
  return modified > changed ? modified : changed;
}

std::optional<FileIdentity> identity_of(int folder, const char* name) {
  struct statx status {};
  if (::statx(folder, name, AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &status) != 0)
    return errno == ENOENT ? std::optional<FileIdentity>{FileIdentity{}} : std::nullopt;
  FileIdentity identity;
  identity.type = status.stx_mode & S_IFMT;
  identity.device_major = status.stx_dev_major;
  identity.device_minor = status.stx_dev_minor;
  identity.inode = status.stx_ino;
  identity.size = status.stx_size;
  identity.modified_seconds = status.stx_mtime.tv_sec;
  identity.modified_nanoseconds = status.stx_mtime.tv_nsec;
  identity.changed_seconds = status.stx_ctime.tv_sec;
  identity.changed_nanoseconds = status.stx_ctime.tv_nsec;
  return identity;
}

std::optional<FileIdentity> FolderLookups::identity(const std::string& folder,
                                                    const std::string& name) {
  if (folder != m_path) {
    close_current();
    m_path = folder;
    m_fd = ::open(folder.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    m_missing = m_fd < 0 && (errno == ENOENT || errno == ENOTDIR);
  }
  if (m_fd < 0)
    return m_missing ? std::optional<FileIdentity>{FileIdentity{}} : std::nullopt;
  return identity_of(m_fd, name.c_str());
}

void FolderLookups::close_current() noexcept {
  if (m_fd >= 0)
    ::close(m_fd);
  m_fd = -1;
}

std::pair<std::string, std::string> folder_and_name(const std::filesystem::path& path) {
  if (!path.has_filename())
    return {path.native(), "."};
  return {path.parent_path().native(), path.filename().native()};
}

}  // namespace strata::generator
