// A folder tree written as one text, so a fuzzer can mutate file names, file kinds and contents
// with the same byte-level moves, and a person can read and edit a seed:
//
//   #! --routines r --ignore *.txt --warnings-as-errors      (optional first line: options)
//   ==> m/20240101000000_create_users.sql <==                (a regular file; its bytes follow)
//   CREATE TABLE users (id int);
//   ==> m/2_b/ <==                                           (a folder)
//   ==> m/3_c.sql -> /dev/zero <==                           (a symbolic link)
//   ==> m/4_d.sql | <==                                      (a FIFO)
//
// A file's content is every byte after its header line up to the newline before the next header
// (or the end). Paths are relative to the work folder (the migrations folder is `m` unless the
// options say `-d DIR`); `\n`, `\t`, `\\` and `\xHH` in a path stand for that byte, so a name may
// hold any byte but NUL and `/`. Empty, `.` and `..` components are dropped, so nothing is ever
// written outside the work folder. A link's target is kept when relative without `..`, or one of
// a few device files; any other target becomes a name that does not exist.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::fuzz {

enum class EntryKind { file, folder, symlink, fifo };

struct Entry {
  EntryKind kind = EntryKind::file;
  std::string path;     // relative, '/'-separated, components sanitised
  std::string content;  // file: its bytes; symlink: its target
};

struct Archive {
  std::string migrations_dir = "m";
  std::optional<std::string> routines_dir;
  std::vector<std::string> ignore_globs;
  bool warnings_as_errors = false;
  std::vector<Entry> entries;
};

// At most this many entries and path components are kept: enough for odd layouts and deep
// nesting, small enough that one input stays fast.
constexpr std::size_t max_entries = 64;
constexpr std::size_t max_depth = 24;

// Reads an archive. Never fails: whatever does not parse is dropped.
[[nodiscard]] Archive parse_archive(std::string_view bytes);

// Writes the entries under `root` (which must exist and be empty). Entries that cannot be
// created (a path through a file, a name too long for the file system) are skipped.
void materialise(const Archive& archive, const std::filesystem::path& root);

}  // namespace strata::fuzz
