// Discovery: which files of the folders are migrations, in which form, in what order.
#include "catalog/catalog.hpp"

#include <algorithm>
#include <array>
#include <fnmatch.h>
#include <new>
#include <system_error>

#include "catalog/checksum.hpp"
#include "catalog/diagnostics.hpp"
#include "catalog/file_kind.hpp"
#include "catalog/file_names.hpp"
#include "catalog/markers.hpp"
#include "catalog/order.hpp"
#include "catalog/prefetch.hpp"
#include "catalog/source_options.hpp"
#include "utf8.hpp"

namespace strata::generator {
namespace fs = std::filesystem;

namespace {

// Why a migration's file or folder name cannot be used, or empty. The name becomes the
// migration's name in the history table and in `status` and `--json` output, which need UTF-8
// text; a control character would act on the terminal of everyone who lists the migrations.
std::string unusable_name(std::string_view name) {
  if (!strata::detail::is_valid_utf8(name))
    return "is not valid UTF-8";
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t length = strata::detail::utf8_sequence_length(name, i);
    if (strata::detail::is_control_character(name, i, length) || name[i] == '\t')
      return "holds a control character";
    i += length;
  }
  return {};
}

// A file that holds one direction of a migration, before up and down are joined.
struct Part {
  ClassifiedName name;
  const SourceFile* file = nullptr;
};

class Loader {
 public:
  Loader(const SourceOptions& options, Diagnostics& diagnostics)
      : m_options(options), m_diagnostics(diagnostics) {}

  Catalog load() {
    const fs::path migrations = absolute_path(m_options.migrations_dir);
    std::optional<fs::path> routines;
    if (m_options.routines_dir)
      routines = absolute_path(*m_options.routines_dir);
    scan_migrations(migrations, routines);
    if (routines)
      scan_routines(*routines);
    join_and_order();
    Sha256 sha256;
    for (auto& migration : m_catalog.migrations) {
      migration.checksum = sha256.checksum(migration.up.text());
    }
    return std::move(m_catalog);
  }

 private:
  static fs::path absolute_path(const fs::path& path) {
    std::error_code error;
    fs::path result = fs::absolute(path, error);
    return (error ? path : result).lexically_normal();
  }

  bool ignored(const std::string& file_name) const {
    return std::any_of(m_options.ignore_globs.begin(), m_options.ignore_globs.end(),
                       [&](const std::string& glob) {
                         return fnmatch(glob.c_str(), file_name.c_str(), FNM_PERIOD) == 0;
                       });
  }

  // Entries of a folder sorted by name, so diagnostics and ties come out the same everywhere.
  std::vector<fs::directory_entry> entries(const fs::path& folder) {
    std::vector<fs::directory_entry> result;
    std::error_code error;
    if (!fs::is_directory(folder, error)) {
      m_diagnostics.add(folder, "strata-E111", "folder not found",
                        "pass the migrations folder with -d DIR (default db/migrations, or "
                        "STRATA_MIGRATIONS_DIR) and the routines folder with --routines DIR");
      return result;
    }
    m_catalog.inputs.push_back(folder);
    for (fs::directory_iterator it{folder, error}, end; !error && it != end; it.increment(error)) {
      result.push_back(*it);
    }
    if (error) {
      m_diagnostics.add(folder, "strata-E110", "cannot list folder: " + error.message());
    }
    // By the name's bytes, which is what comparing path::filename() does, without building two
    // paths per comparison.
    const auto name = [](const fs::directory_entry& entry) {
      const std::string_view path = entry.path().native();
      return path.substr(path.rfind('/') + 1);
    };
    std::sort(result.begin(), result.end(),
              [&](const auto& a, const auto& b) { return name(a) < name(b); });
    return result;
  }

  // Reads, on two threads and before the walk, the files the walk of `listed` may read: every
  // `.sql` file not ignored, and each migration folder's up.sql and down.sql.
  void prefetch(const std::vector<fs::directory_entry>& listed,
                const std::optional<fs::path>& routines = std::nullopt) {
    std::vector<fs::path> paths;
    paths.reserve(listed.size());
    for (const auto& entry : listed) {
      const std::string file_name = entry.path().filename().string();
      if (ignored(file_name))
        continue;
      std::error_code error;
      if (!entry.is_directory(error)) {
        if (file_name.ends_with(".sql"))
          paths.push_back(entry.path());
      } else if (!routines || entry.path() != *routines) {
        paths.push_back(entry.path() / "up.sql");
        paths.push_back(entry.path() / "down.sql");
      }
    }
    m_prefetched = PrefetchedFiles{paths};
  }

  const SourceFile* read(const fs::path& path) {
    m_catalog.inputs.push_back(path);
    try {
      std::optional<SourceFile> file;
      if (std::optional<FileContents> contents = m_prefetched.take(path)) {
        if (contents->out_of_memory)
          throw std::bad_alloc{};
        file = SourceFile::read(path, contents->problem, std::move(contents->bytes), m_diagnostics);
      } else {
        file = SourceFile::read(path, m_diagnostics);
      }
      if (!file)
        return nullptr;
      m_catalog.files.push_back(std::make_unique<SourceFile>(std::move(*file)));
    } catch (const std::bad_alloc&) {
      throw OutOfMemory{"reading", path};
    }
    return m_catalog.files.back().get();
  }

  // Whether the name of `path`, a migration's file or folder, can be used; reports E113 if not.
  bool usable_name(const fs::path& path, std::string_view what) {
    const std::string problem = unusable_name(path.filename().string());
    if (problem.empty())
      return true;
    m_diagnostics.add(path, "strata-E113", std::string{what} + " name " + problem,
                      "rename the " + std::string{what} +
                          ": a migration's name is stored in the history table and printed by "
                          "status, so it must be UTF-8 text without control characters");
    return false;
  }

  // Whether `path` (in `folder`) exists in any form: a file, a folder, a FIFO, a link even to
  // nothing (reading it then says what is wrong). nullopt, reported as E110 on the folder, when
  // the folder cannot be looked into.
  std::optional<bool> present(const fs::path& folder, const fs::path& path) {
    std::error_code error;
    const fs::file_status status = fs::symlink_status(path, error);
    if (status.type() == fs::file_type::not_found)
      return false;
    if (error) {
      const FileProblem problem = unreadable_folder(error);
      m_diagnostics.add(folder, *problem.id, problem.message, problem.hint);
      return std::nullopt;
    }
    return true;
  }

  static SectionSource whole_file(const SourceFile& file) {
    return SectionSource{&file, 0, file.text().size(), !has_no_transaction_line(file.text()), 0};
  }

  void scan_migrations(const fs::path& folder, const std::optional<fs::path>& routines) {
    const std::vector<fs::directory_entry> listed = entries(folder);
    prefetch(listed, routines);
    for (const auto& entry : listed) {
      const std::string file_name = entry.path().filename().string();
      std::error_code error;
      if (entry.is_directory(error)) {
        if ((routines && entry.path() == *routines) || ignored(file_name))
          continue;
        scan_migration_directory(entry.path());
        continue;
      }
      if (ignored(file_name))
        continue;
      ClassifiedName name = classify_file_name(file_name);
      if (name.kind != NameKind::not_sql && !usable_name(entry.path(), "file"))
        continue;
      switch (name.kind) {
        case NameKind::not_sql:
          break;
        case NameKind::invalid:
          m_diagnostics.add(entry.path(), "strata-E101",
                            "file name fits no migration form: " + name.problem,
                            "rename the file, or exclude it with --ignore '" + file_name +
                                "' (IGNORE in add_migrations())");
          break;
        case NameKind::single:
          add_single_file(entry.path(), std::move(name));
          break;
        case NameKind::pair_up:
        case NameKind::flyway_up:
          if (const SourceFile* file = read(entry.path()))
            m_ups.push_back({std::move(name), file});
          break;
        case NameKind::pair_down:
        case NameKind::flyway_down:
          if (const SourceFile* file = read(entry.path())) {
            m_downs.push_back({std::move(name), file});
          }
          break;
        case NameKind::routine:
          add_routine(entry.path(), std::move(name.name));
          break;
      }
    }
  }

  void add_single_file(const fs::path& path, ClassifiedName name) {
    const SourceFile* file = read(path);
    if (file == nullptr)
      return;
    MigrationSource migration;
    migration.version = std::move(name.version);
    migration.name = std::move(name.name);
    if (has_section_marker(file->text())) {
      migration.form = Form::dbmate;
      if (!split_marked_sections(*file, migration, m_diagnostics))
        return;
      if (!migration.up.present()) {
        m_diagnostics.add(*file, 0, "strata-E107",
                          "no `-- migrate:up` marker in a file that has migration markers",
                          "start the file's up section with a `-- migrate:up` line");
        return;
      }
    } else {
      migration.form = Form::plain;
      migration.up = whole_file(*file);
    }
    m_versioned.push_back(std::move(migration));
  }

  // Diesel's layout: <v>_<name>/up.sql, optional down.sql and metadata.toml.
  void scan_migration_directory(const fs::path& folder) {
    const std::string folder_name = folder.filename().string();
    ClassifiedName name = classify_directory_name(folder_name);
    const fs::path up_path = folder / "up.sql";
    const fs::path down_path = folder / "down.sql";
    if (name.kind != NameKind::single) {
      // Any other folder is not ours (seed data, the routines) unless it holds what a migration
      // folder holds: then it is a migration whose name fits no form, never skipped in silence.
      std::error_code error;
      if (fs::exists(up_path, error) || fs::exists(down_path, error)) {
        m_diagnostics.add(folder, "strata-E101",
                          "folder holds up.sql or down.sql but its name fits no migration form "
                          "(expected <version>_<name> or <version>-<name>, the version digit "
                          "groups joined by `-`)",
                          "rename the folder, or exclude it with --ignore '" + folder_name +
                              "' (IGNORE in add_migrations())");
      }
      return;
    }
    if (!usable_name(folder, "folder"))
      return;
    m_catalog.inputs.push_back(folder);
    const auto up_present = present(folder, up_path);
    if (!up_present)
      return;  // the folder cannot be looked into; reported
    if (!*up_present) {
      const auto has_down = present(folder, down_path);
      if (!has_down)
        return;
      m_diagnostics.add(
          *has_down ? down_path : folder,
          *has_down ? DiagnosticId{"strata-E103"} : DiagnosticId{"strata-E101"},
          *has_down ? "down.sql without an up.sql beside it" : "migration folder without up.sql",
          "a migration folder holds up.sql and, optionally, down.sql");
      return;
    }
    MigrationSource migration;
    migration.form = Form::directory;
    migration.version = std::move(name.version);
    migration.name = std::move(name.name);
    const SourceFile* up = read(up_path);
    if (up == nullptr)
      return;
    migration.up = whole_file(*up);
    const auto down_present = present(folder, down_path);
    if (!down_present)
      return;
    if (*down_present) {
      const SourceFile* down = read(down_path);
      if (down == nullptr)
        return;
      migration.down = whole_file(*down);
    }
    const fs::path metadata = folder / "metadata.toml";
    const auto metadata_present = present(folder, metadata);
    if (!metadata_present)
      return;
    if (*metadata_present) {
      if (const SourceFile* toml = read(metadata); toml != nullptr && runs_outside(*toml)) {
        migration.up.in_transaction = false;
        migration.down.in_transaction = false;
      }
    }
    m_versioned.push_back(std::move(migration));
  }

  // Diesel's metadata.toml: `run_in_transaction = false`.
  static bool runs_outside(const SourceFile& toml) {
    for (std::uint32_t line = 1; line <= toml.line_count(); ++line) {
      std::string compact;
      for (char c : toml.line_text(line)) {
        if (c == '#')
          break;
        if (c != ' ' && c != '\t')
          compact += c;
      }
      if (compact == "run_in_transaction=false")
        return true;
    }
    return false;
  }

  void add_routine(const fs::path& path, std::string name) {
    const SourceFile* file = read(path);
    if (file == nullptr)
      return;
    MigrationSource routine;
    routine.kind = MigrationKind::routine;
    routine.form = Form::routine;
    routine.name = std::move(name);
    routine.up = whole_file(*file);
    routine.up.in_transaction = true;
    m_routines.push_back(std::move(routine));
  }

  void scan_routines(const fs::path& folder) {
    const std::vector<fs::directory_entry> listed = entries(folder);
    prefetch(listed);
    for (const auto& entry : listed) {
      std::error_code error;
      if (entry.is_directory(error))
        continue;
      const std::string file_name = entry.path().filename().string();
      if (!file_name.ends_with(".sql") || ignored(file_name) || !usable_name(entry.path(), "file"))
        continue;
      add_routine(entry.path(), file_name.substr(0, file_name.size() - 4));
    }
  }

  void join_and_order() {
    for (auto& up : m_ups) {
      MigrationSource migration;
      migration.form = up.name.kind == NameKind::flyway_up ? Form::flyway : Form::pair;
      migration.version = std::move(up.name.version);
      migration.name = std::move(up.name.name);
      migration.up = whole_file(*up.file);
      m_versioned.push_back(std::move(migration));
    }
    // The mixed rule first (numbers, dashes removed): it finds duplicate versions and pairs each
    // down file with its up; then each form takes its own tool's order where it can.
    std::stable_sort(m_versioned.begin(), m_versioned.end(), [](const auto& a, const auto& b) {
      return order_versions(a.version, b.version) < 0;
    });
    for (std::size_t i = 1; i < m_versioned.size(); ++i) {
      const auto& previous = m_versioned[i - 1];
      const auto& current = m_versioned[i];
      if (order_versions(previous.version, current.version) == 0) {
        m_diagnostics.add(current.up.file->path(), "strata-E102",
                          "duplicate migration version " + current.version + " (also " +
                              file_label(previous) + ")",
                          "every migration needs its own version; rename one of the files");
      }
    }
    for (auto& down : m_downs)
      attach_down(down);
    order_as_their_tools(m_versioned, m_diagnostics);
    std::stable_sort(m_routines.begin(), m_routines.end(),
                     [](const auto& a, const auto& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < m_routines.size(); ++i) {
      if (m_routines[i - 1].name == m_routines[i].name) {
        m_diagnostics.add(m_routines[i].up.file->path(), "strata-E402",
                          "two routine files named " + m_routines[i].name + " (also " +
                              m_routines[i - 1].up.file->path().string() + ")",
                          "a routine's file name is its identity; rename one of them");
      }
    }
    m_catalog.migrations = std::move(m_versioned);
    std::move(m_routines.begin(), m_routines.end(), std::back_inserter(m_catalog.migrations));
  }

  // How a message names another migration: its file name, with the folder for a migration
  // folder (whose file is always up.sql).
  static std::string file_label(const MigrationSource& migration) {
    const fs::path& path = migration.up.file->path();
    if (migration.form == Form::directory)
      return (path.parent_path().filename() / path.filename()).string();
    return path.filename().string();
  }

  void attach_down(const Part& down) {
    const Form form = down.name.kind == NameKind::flyway_down ? Form::flyway : Form::pair;
    // m_versioned is sorted by version: look only at the migrations of this version.
    auto it = std::lower_bound(m_versioned.begin(), m_versioned.end(), down.name.version,
                               [](const MigrationSource& migration, const std::string& version) {
                                 return order_versions(migration.version, version) < 0;
                               });
    for (; it != m_versioned.end() && order_versions(it->version, down.name.version) == 0; ++it) {
      MigrationSource& migration = *it;
      if (migration.form != form)
        continue;
      if (migration.down.present()) {
        m_diagnostics.add(down.file->path(), "strata-E102",
                          "second down file for version " + migration.version + " (also " +
                              migration.down.file->path().filename().string() + ")",
                          "a migration has at most one down file");
        return;
      }
      migration.down = whole_file(*down.file);
      return;
    }
    m_diagnostics.add(down.file->path(), "strata-E103",
                      "down migration without an up migration of version " + down.name.version,
                      "add the matching up file, or remove this one");
  }

  const SourceOptions& m_options;
  Diagnostics& m_diagnostics;
  Catalog m_catalog;
  std::vector<MigrationSource> m_versioned;
  std::vector<MigrationSource> m_routines;
  std::vector<Part> m_ups;
  std::vector<Part> m_downs;
  PrefetchedFiles m_prefetched;  // of the folder being walked
};

}  // namespace

std::string_view form_name(Form form) noexcept {
  switch (form) {
    case Form::dbmate:
      return "dbmate";
    case Form::pair:
      return "pair";
    case Form::plain:
      return "plain";
    case Form::directory:
      return "directory";
    case Form::flyway:
      return "flyway";
    case Form::routine:
      return "routine";
  }
  return "plain";
}

Catalog load_catalog(const SourceOptions& options, Diagnostics& diagnostics) {
  return Loader{options, diagnostics}.load();
}

}  // namespace strata::generator
