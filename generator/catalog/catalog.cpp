// Discovery: which files of the folders are migrations, in which form, in what order.
#include "catalog/catalog.hpp"

#include <algorithm>
#include <array>
#include <new>
#include <system_error>

#include "catalog/checksum.hpp"
#include "catalog/diagnostics.hpp"
#include "catalog/file_kind.hpp"
#include "catalog/file_names.hpp"
#include "catalog/folder_listing.hpp"
#include "catalog/markers.hpp"
#include "catalog/order.hpp"
#include "catalog/prefetch.hpp"
#include "catalog/source_options.hpp"

namespace strata::generator {
namespace fs = std::filesystem;

namespace {

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
  bool ignored(const std::string& file_name) const {
    return is_ignored(m_options.ignore_globs, file_name);
  }

  std::vector<fs::directory_entry> entries(const fs::path& folder) {
    std::optional<std::vector<fs::directory_entry>> listed = sorted_entries(folder, m_diagnostics);
    if (!listed)
      return {};
    m_catalog.inputs.push_back(folder);
    return std::move(*listed);
  }

  // Reads, on two threads and before the walk, the files the walk of `listed` may read.
  void prefetch(const std::vector<fs::directory_entry>& listed,
                const std::optional<fs::path>& routines = std::nullopt) {
    m_prefetched = PrefetchedFiles{files_a_walk_reads(listed, m_options.ignore_globs, routines)};
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
      // Looked into, so an input: adding up.sql to it changes what this walk says.
      m_catalog.inputs.push_back(folder);
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
      if (const SourceFile* toml = read(metadata);
          toml != nullptr && runs_outside_transaction(*toml)) {
        migration.up.in_transaction = false;
        migration.down.in_transaction = false;
      }
    }
    m_versioned.push_back(std::move(migration));
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
