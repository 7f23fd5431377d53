// Reading, checking and writing migrations.lock.
#include "check/lock_file.hpp"

#include <algorithm>
#include <cctype>
#include <compare>
#include <map>
#include <system_error>

#include <strata/version_order.hpp>

#include "catalog/catalog.hpp"
#include "catalog/diagnostics.hpp"
#include "catalog/source_file.hpp"
#include "catalog/source_options.hpp"
#include "check/statements.hpp"

namespace strata::generator {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view header_prefix = "# strata-lock ";
constexpr std::string_view format_version = "1";
constexpr std::string_view header_line =
    "# strata-lock 1: released migrations, one `<version> <sha256 of the up SQL>` per line. "
    "Add lines with `strata lock`; never edit one.";
constexpr std::string_view checksum_prefix = "sha256:";

struct VersionLess {
  bool operator()(std::string_view a, std::string_view b) const noexcept {
    return std::is_lt(compare_versions(a, b));
  }
};

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r';
}

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i]))
      ++i;
    const std::size_t begin = i;
    while (i < line.size() && !is_blank(line[i]))
      ++i;
    if (i > begin)
      fields.push_back(line.substr(begin, i - begin));
  }
  return fields;
}

bool is_sha256_hex(std::string_view text) noexcept {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'a' && c <= 'f');
         });
}

std::string_view hex_of(std::string_view checksum) noexcept {
  return checksum.starts_with(checksum_prefix) ? checksum.substr(checksum_prefix.size()) : checksum;
}

// Reports a problem at a lock file line.
void add_at_line(Diagnostics& diagnostics, const SourceFile& file, std::uint32_t line,
                 DiagnosticId id, std::string message, std::string hint) {
  diagnostics.add(file, file.line_start(line), id, std::move(message), std::move(hint));
}

// The header's checks: E505 when the first line names no strata lock format, or another one.
bool check_header(const SourceFile& file, std::string_view first, Diagnostics& diagnostics) {
  if (!first.starts_with(header_prefix)) {
    add_at_line(diagnostics, file, 1, "strata-E505", "not a strata lock file: no header line",
                "the first line must be `# strata-lock 1 …`; let `strata lock` write the file");
    return false;
  }
  const std::string_view rest = first.substr(header_prefix.size());
  const std::string_view version = rest.substr(0, rest.find_first_not_of("0123456789"));
  if (version != format_version) {
    add_at_line(diagnostics, file, 1, "strata-E505",
                "lock file format `" + std::string{version} +
                    "` is not one this strata reads (it reads format 1)",
                "use the strata version that wrote this lock file, or a newer one");
    return false;
  }
  return true;
}

// Where a migration's diagnostics point: the first token of its up section.
std::size_t up_start(const MigrationSource& migration) {
  return migration.up.offset + skip_trivia(migration.up.text(), 0);
}

}  // namespace

fs::path lock_file_path(const SourceOptions& options) {
  return absolute_path(options.lock_file ? *options.lock_file
                                         : options.migrations_dir / lock_file_name);
}

std::optional<LockFile> read_lock_file(const fs::path& path, Diagnostics& diagnostics) {
  std::error_code error;
  if (!fs::exists(path, error))
    return std::nullopt;
  LockFile lock;
  lock.path = path;
  const auto file = SourceFile::read(path, diagnostics);
  if (!file || file->text().empty())
    return lock;  // unreadable (reported) or empty: nothing locked yet
  lock.header = std::string{file->line_text(1)};
  if (!check_header(*file, lock.header, diagnostics))
    return lock;
  for (std::uint32_t line = 2; line <= file->line_count(); ++line) {
    std::string_view text = file->line_text(line);
    while (!text.empty() && is_blank(text.back()))
      text.remove_suffix(1);
    const auto fields = fields_of(text);
    if (fields.empty())
      continue;
    if (fields.size() != 2 || !is_valid_version(fields[0]) || !is_sha256_hex(fields[1])) {
      add_at_line(diagnostics, *file, line, "strata-E504",
                  "malformed lock file line: expected `<version> <64 lowercase hex digits>`",
                  "restore the line from version control; `strata lock` writes lines itself");
      continue;
    }
    LockEntry entry{std::string{fields[0]}, std::string{checksum_prefix} + std::string{fields[1]},
                    line};
    const auto same = std::find_if(lock.entries.begin(), lock.entries.end(), [&](const auto& e) {
      return std::is_eq(compare_versions(e.version, entry.version));
    });
    if (same != lock.entries.end()) {
      if (same->checksum != entry.checksum) {
        add_at_line(diagnostics, *file, line, "strata-E504",
                    "version " + entry.version +
                        " is locked twice with different checksums "
                        "(first at line " +
                        std::to_string(same->line) + ')',
                    "keep the line that matches the released migration (a merge may have "
                    "joined two different files with the same version)");
      }
      continue;  // an identical duplicate, as a union merge can leave: harmless
    }
    lock.entries.push_back(std::move(entry));
    lock.lines.emplace_back(text);
  }
  return lock;
}

LockedVersions::LockedVersions(std::vector<std::string> versions) : m_sorted(std::move(versions)) {
  std::sort(m_sorted.begin(), m_sorted.end(), VersionLess{});
}

bool LockedVersions::contains(std::string_view version) const noexcept {
  return std::binary_search(m_sorted.begin(), m_sorted.end(), version, VersionLess{});
}

LockedVersions check_lock_file(const Catalog& catalog, const SourceOptions& options,
                               Diagnostics& diagnostics) {
  const auto lock = read_lock_file(lock_file_path(options), diagnostics);
  if (!lock)
    return {};
  std::vector<std::string> versions;
  versions.reserve(lock->entries.size());
  for (const LockEntry& entry : lock->entries)
    versions.push_back(entry.version);
  LockedVersions result{std::move(versions)};
  std::map<std::string_view, const MigrationSource*, VersionLess> migrations;
  for (const MigrationSource& migration : catalog.migrations) {
    if (migration.kind == MigrationKind::migration)
      migrations.emplace(migration.version, &migration);
  }
  std::map<std::string_view, const LockEntry*, VersionLess> locked;
  for (std::size_t i = 0; i < lock->entries.size(); ++i) {
    const LockEntry& entry = lock->entries[i];
    locked.emplace(entry.version, &entry);
    const auto found = migrations.find(entry.version);
    if (found == migrations.end()) {
      diagnostics.add(
          lock->path, entry.line, lock->lines[i], "strata-E502",
          "migration " + entry.version +
              " is locked as released, but no migration file has "
              "this version any more",
          "a released migration must stay: restore its file from version control (if it never "
          "shipped, delete this line)");
      continue;
    }
    const MigrationSource& migration = *found->second;
    if (migration.checksum != entry.checksum && migration.up.present()) {
      diagnostics.add(*migration.up.file, up_start(migration), "strata-E501",
                      "migration " + migration.version + " changed after it was released: " +
                          lock->path.filename().string() + ':' + std::to_string(entry.line) +
                          " locks " + entry.checksum + ", the file now has " + migration.checksum,
                      "a released migration must not change: revert this edit and write a new "
                      "migration for the change (`strata new NAME`); if this one never shipped, "
                      "delete its line from " +
                          lock->path.string() + " and run `strata lock`");
    }
  }
  if (locked.empty())
    return result;
  const std::string_view newest = locked.rbegin()->first;
  for (const auto& [version, migration] : migrations) {
    if (locked.count(version) != 0 || std::is_gteq(compare_versions(version, newest)) ||
        !migration->up.present()) {
      continue;
    }
    diagnostics.add(*migration->up.file, up_start(*migration), "strata-W503",
                    "migration " + migration->version + " is not locked yet but sorts before " +
                        std::string{newest} + ", the newest released one: databases that have " +
                        std::string{newest} + " would apply it out of order",
                    "give it a version after " + std::string{newest} +
                        " (rename the file; `strata new` uses the current time)");
  }
  return result;
}

std::string render_lock_file(const LockFile* existing, const strata::MigrationSet& set,
                             std::vector<std::string>& added) {
  struct Line {
    std::string version;
    std::string text;
  };
  std::vector<Line> lines;
  if (existing != nullptr) {
    for (std::size_t i = 0; i < existing->entries.size(); ++i)
      lines.push_back(Line{existing->entries[i].version, existing->lines[i]});
  }
  const std::size_t locked = lines.size();
  for (const strata::Migration& migration : set) {
    if (migration.kind != MigrationKind::migration)
      continue;
    const bool known = std::any_of(
        lines.begin(), lines.begin() + static_cast<long>(locked), [&](const Line& line) {
          return std::is_eq(compare_versions(line.version, migration.version));
        });
    if (known)
      continue;
    lines.push_back(
        Line{std::string{migration.version},
             std::string{migration.version} + ' ' + std::string{hex_of(migration.checksum)}});
    added.emplace_back(migration.version);
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return std::is_lt(compare_versions(a.version, b.version));
  });
  std::string text{existing != nullptr && !existing->header.empty() ? existing->header
                                                                    : header_line};
  text += '\n';
  for (const Line& line : lines)
    text += line.text + '\n';
  return text;
}

}  // namespace strata::generator
