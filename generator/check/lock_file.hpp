// The lock file (`migrations.lock`): the versions and checksums of released migrations, so that
// editing one breaks the build instead of production.
//
// Format 1, one line each, LF line endings:
//
//   # strata-lock 1 …                     header: names the format version
//   20240101120000 3a7bd3e2360a3d29…      <version> <SHA-256 of the up SQL, 64 lowercase hex>
//
// Lines are sorted by version (compare_versions) and not chained: each line stands alone, so two
// branches that each lock a new migration merge by keeping both lines (a `merge=union`
// gitattribute does it without a conflict). The checksum is the migration's own (`strata check
// --list`, the history table's `checksum`): the up SQL after line-ending normalisation. A routine
// is never locked; changing it is its purpose.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <strata/migration_set.hpp>

namespace strata::generator {

struct Catalog;
class Diagnostics;
struct SourceOptions;

// The default file name, in the migrations folder.
inline constexpr std::string_view lock_file_name = "migrations.lock";

struct LockEntry {
  std::string version;   // as written
  std::string checksum;  // "sha256:<hex>", the form strata::Migration::checksum has
  std::uint32_t line = 0;
};

struct LockFile {
  std::filesystem::path path;
  std::string header;              // the first line as written
  std::vector<LockEntry> entries;  // file order; exact duplicates removed
  std::vector<std::string> lines;  // the entries' lines as written, parallel to `entries`
};

// Where the lock file is: options.lock_file, else migrations.lock in the migrations folder.
[[nodiscard]] std::filesystem::path lock_file_path(const SourceOptions& options);

// Reads a lock file. std::nullopt when it does not exist (nothing is locked yet). A malformed
// line or a version locked twice with different checksums is an error at that line (E504), a
// missing or unknown header E505; the entries that could be read are returned either way.
[[nodiscard]] std::optional<LockFile> read_lock_file(const std::filesystem::path& path,
                                                     Diagnostics& diagnostics);

// The versions a lock file holds, for "is this migration released?".
class LockedVersions {
 public:
  LockedVersions() = default;
  explicit LockedVersions(std::vector<std::string> versions);  // any order

  // Whether `version` is locked (compared with compare_versions, so "0001" is "1").
  [[nodiscard]] bool contains(std::string_view version) const noexcept;

 private:
  std::vector<std::string> m_sorted;
};

// The lock rules, when the lock file exists: a locked migration whose up SQL changed (E501, at
// the migration's file, both checksums shown), a locked migration whose file is gone (E502, at
// the lock file's line), and a migration not yet locked whose version sorts before the newest
// locked one (W503, a warning: out of order). Returns the locked versions (none without a lock
// file), so later rules can leave released migrations alone.
[[nodiscard]] LockedVersions check_lock_file(const Catalog& catalog, const SourceOptions& options,
                                             Diagnostics& diagnostics);

// The lock file's text after locking `set`'s versioned migrations that `existing` lacks (null:
// no file yet). Existing lines are kept byte for byte; all lines are sorted by version.
// `added` receives the versions added, in order.
[[nodiscard]] std::string render_lock_file(const LockFile* existing,
                                           const strata::MigrationSet& set,
                                           std::vector<std::string>& added);

}  // namespace strata::generator
