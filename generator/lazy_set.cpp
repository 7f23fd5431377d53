// LazilyCheckedSet: the catalog now, each migration's SQL checks when a command needs them.
#include <algorithm>
#include <new>
#include <ostream>

#include "catalog/catalog.hpp"
#include "catalog/catalog_cache.hpp"
#include "catalog/checksum.hpp"
#include "catalog/diagnostics.hpp"
#include "check/checker.hpp"
#include "check/lock_file.hpp"
#include "set_storage.hpp"
#include "strata/generator/compiler.hpp"

namespace strata::generator {

struct LazilyCheckedSet::State {
  SourceOptions options;
  Catalog catalog;  // the unchecked elements view its text
  LockedVersions released;
  SetStorage storage;
  std::vector<bool> checked;  // per element
  bool routines_checked = false;
};

LazilyCheckedSet::LazilyCheckedSet(std::unique_ptr<State> state) noexcept
    : m_state(std::move(state)) {}
LazilyCheckedSet::LazilyCheckedSet(LazilyCheckedSet&& other) noexcept = default;
LazilyCheckedSet& LazilyCheckedSet::operator=(LazilyCheckedSet&& other) noexcept = default;
LazilyCheckedSet::~LazilyCheckedSet() = default;

const strata::MigrationSet& LazilyCheckedSet::set() const noexcept {
  return m_state->storage.set;
}

const SourceOptions& LazilyCheckedSet::options() const noexcept {
  return m_state->options;
}

LazilyCheckedSet::FilesRead LazilyCheckedSet::files_read() const noexcept {
  FilesRead result;
  result.total = m_state->catalog.files.size();
  for (const auto& file : m_state->catalog.files)
    result.read += file->is_read() ? 1 : 0;
  return result;
}

std::optional<LazilyCheckedSet> LazilyCheckedSet::load(
    const SourceOptions& options, std::ostream& out,
    const std::optional<std::filesystem::path>& cache_folder) {
  try {
    auto state = std::make_unique<State>();
    state->options = options;
    std::optional<CatalogCache> cache;
    if (cache_folder)
      cache.emplace(*cache_folder, options, lock_file_path(options));
    Diagnostics diagnostics;
    std::optional<Catalog> cached = cache ? cache->load() : std::nullopt;
    if (cached) {
      state->catalog = std::move(*cached);
      state->released = check_lock_file(state->catalog, options, diagnostics);
      // Its inputs, the lock file among them, are as they were when they loaded without a
      // diagnostic; should one appear all the same, the folder is read as if there were no cache.
      if (!diagnostics.all().empty()) {
        diagnostics = Diagnostics{};
        cached.reset();
      }
    }
    if (!cached) {
      state->catalog = load_catalog(options, diagnostics);
      state->released = check_lock_file(state->catalog, options, diagnostics);
      if (diagnostics.has_errors()) {
        static_cast<void>(print_diagnostics(diagnostics, options, out));
        return std::nullopt;
      }
      if (cache && diagnostics.all().empty())
        static_cast<void>(cache->store(state->catalog));
    }
    const std::vector<MigrationSource>& sources = state->catalog.migrations;
    state->storage.migrations.reserve(sources.size());
    for (const MigrationSource& source : sources)
      state->storage.migrations.push_back(unchecked_element(source, state->storage));
    state->storage.set = strata::MigrationSet{state->storage.migrations};
    state->checked.assign(sources.size(), false);
    return LazilyCheckedSet{std::move(state)};
  } catch (const std::bad_alloc&) {
    throw OutOfMemory{"reading the migrations in", options.migrations_dir};
  }
}

namespace {

// The positions among `positions` not checked yet, ascending; every routine when one is among
// them (routines are checked against each other: one definition per object).
std::vector<std::size_t> to_check(LazilyCheckedSet::State& state,
                                  std::span<const std::size_t> positions) {
  const std::vector<MigrationSource>& sources = state.catalog.migrations;
  std::vector<bool> wanted(sources.size(), false);
  bool any_routine = false;
  for (const std::size_t position : positions) {
    if (position < sources.size() && !state.checked[position]) {
      wanted[position] = true;
      any_routine = any_routine || sources[position].kind == MigrationKind::routine;
    }
  }
  if (any_routine && !state.routines_checked) {
    for (std::size_t i = 0; i < sources.size(); ++i)
      wanted[i] = wanted[i] || sources[i].kind == MigrationKind::routine;
    state.routines_checked = true;
  }
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (wanted[i])
      chosen.push_back(i);
  }
  return chosen;
}

// Reads the files of the migrations at `chosen` that the catalog cache vouched for without reading
// them. Throws SourceChanged.
void read_texts(const Catalog& catalog, std::span<const std::size_t> chosen) {
  std::optional<Sha256> sha256;
  for (const std::size_t position : chosen) {
    const MigrationSource& source = catalog.migrations[position];
    for (const SectionSource* section : {&source.up, &source.down}) {
      if (section->present() && !section->file->is_read())
        section->file->read_text(sha256 ? *sha256 : sha256.emplace());
    }
  }
}

bool in_file(const SectionSource& section, const std::filesystem::path& path) {
  return section.present() && section.file->path() == path;
}

// The diagnostic's first line: where, severity, message, id.
std::string first_line(const Diagnostic& diagnostic) {
  const std::string text = format_diagnostic(diagnostic);
  return text.substr(0, text.find('\n'));
}

}  // namespace

std::optional<std::size_t> LazilyCheckedSet::check(std::span<const std::size_t> positions,
                                                   std::ostream& out) {
  State& state = *m_state;
  const std::vector<MigrationSource>& sources = state.catalog.migrations;
  const std::vector<std::size_t> chosen = to_check(state, positions);
  if (chosen.empty())
    return 0;
  try {
    read_texts(state.catalog, chosen);
    Diagnostics diagnostics;
    std::vector<CheckedMigration> results =
        check_migrations(state.catalog, chosen, state.released, diagnostics);
    if (!print_diagnostics(diagnostics, state.options, out))
      return std::nullopt;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      state.storage.migrations[chosen[i]] =
          checked_element(sources[chosen[i]], results[i], state.storage);
      state.checked[chosen[i]] = true;
    }
  } catch (const std::bad_alloc&) {
    throw OutOfMemory{"checking the migrations in", state.options.migrations_dir};
  }
  return chosen.size();
}

LazilyCheckedSet::Survey LazilyCheckedSet::survey(std::span<const std::size_t> positions) {
  State& state = *m_state;
  const std::vector<MigrationSource>& sources = state.catalog.migrations;
  const std::vector<std::size_t> chosen = to_check(state, positions);
  Survey survey;
  survey.checked = chosen.size();
  if (chosen.empty())
    return survey;
  try {
    read_texts(state.catalog, chosen);
    Diagnostics diagnostics;
    std::vector<CheckedMigration> results =
        check_migrations(state.catalog, chosen, state.released, diagnostics);
    if (state.options.warnings_as_errors)
      diagnostics.promote_warnings();
    // Each error belongs to the migration whose file it names; one that names none of them
    // (there is none today) fails them all rather than let a migration pass unchecked.
    std::vector<std::string> first_error(chosen.size());
    for (const Diagnostic& diagnostic : diagnostics.all()) {
      if (diagnostic.severity != Severity::error)
        continue;
      bool placed = false;
      for (std::size_t i = 0; i < chosen.size(); ++i) {
        const MigrationSource& source = sources[chosen[i]];
        if (in_file(source.up, diagnostic.path) || in_file(source.down, diagnostic.path)) {
          placed = true;
          if (first_error[i].empty())
            first_error[i] = first_line(diagnostic);
        }
      }
      for (std::size_t i = 0; !placed && i < chosen.size(); ++i) {
        if (first_error[i].empty())
          first_error[i] = first_line(diagnostic);
      }
    }
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      if (!first_error[i].empty()) {
        survey.failures.push_back(Failure{chosen[i], std::move(first_error[i])});
        continue;
      }
      state.storage.migrations[chosen[i]] =
          checked_element(sources[chosen[i]], results[i], state.storage);
      state.checked[chosen[i]] = true;
    }
  } catch (const std::bad_alloc&) {
    throw OutOfMemory{"checking the migrations in", state.options.migrations_dir};
  }
  return survey;
}

}  // namespace strata::generator
