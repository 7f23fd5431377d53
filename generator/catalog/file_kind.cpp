// Opening without blocking, checking the type on the descriptor, reading to the end.
#include "catalog/file_kind.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace strata::generator {
namespace {

// A file descriptor closed on every path.
class Descriptor {
 public:
  explicit Descriptor(int fd) noexcept : m_fd(fd) {}
  ~Descriptor() {
    if (m_fd >= 0)
      ::close(m_fd);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;

  [[nodiscard]] int get() const noexcept { return m_fd; }

 private:
  int m_fd;
};

std::string_view type_name(mode_t mode) noexcept {
  if (S_ISDIR(mode))
    return "a folder";
  if (S_ISFIFO(mode))
    return "a FIFO (named pipe)";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

std::string permission_hint(int error) {
  return error == EACCES || error == EPERM
             ? "make it readable for the user that runs strata, or exclude it with --ignore"
             : std::string{};
}

FileProblem cannot_read(int error) {
  return FileProblem{
      DiagnosticId{"strata-E110"},
      "cannot read file: " + std::error_code{error, std::generic_category()}.message(),
      permission_hint(error)};
}

}  // namespace

FileProblem read_regular_file(const std::filesystem::path& path, std::string& bytes) {
  // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.get() < 0) {
    const int error = errno;
    struct stat link {};
    if (error == ENOENT && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
      return FileProblem{DiagnosticId{"strata-E110"},
                         "cannot read file: a symbolic link to a missing file",
                         "point the link at the migration's file, or remove it"};
    }
    return cannot_read(error);
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0)
    return cannot_read(errno);
  if (!S_ISREG(info.st_mode)) {
    return FileProblem{DiagnosticId{"strata-E112"},
                       std::string{"named like a migration but "} +
                           std::string{type_name(info.st_mode)} +
                           ", not a regular file (only regular files, or symbolic links to them, "
                           "are read)",
                       "remove or rename it, or exclude it with --ignore (IGNORE in "
                       "add_migrations())"};
  }
  // Read straight into `bytes`, sized from fstat plus one byte: a regular file's read returns less
  // than asked only at its end, so a file that did not change is one read. The size is a hint
  // (the file may still grow); a huge sparse file reserves no more than 64 MiB before its bytes
  // arrive.
  constexpr std::size_t largest_reservation = std::size_t{64} << 20U;
  const std::size_t expected =
      info.st_size > 0 ? std::min(static_cast<std::size_t>(info.st_size), largest_reservation) : 0;
  bytes.assign(expected + 1, '\0');
  std::size_t used = 0;
  while (true) {
    if (used == bytes.size())
      bytes.resize(bytes.size() * 2);
    const std::size_t wanted = bytes.size() - used;
    const ssize_t got = ::read(file.get(), bytes.data() + used, wanted);
    if (got < 0) {
      if (errno == EINTR)
        continue;
      return cannot_read(errno);
    }
    used += static_cast<std::size_t>(got);
    if (got == 0 || static_cast<std::size_t>(got) < wanted)
      break;
  }
  bytes.resize(used);
  return {};
}

FileProblem unreadable_folder(const std::error_code& error) {
  return FileProblem{DiagnosticId{"strata-E110"}, "cannot read folder: " + error.message(),
                     permission_hint(error.value())};
}

}  // namespace strata::generator
