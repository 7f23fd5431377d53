// The façade: catalog → checks → a MigrationSet over owned storage.
#include "strata/generator/compiler.hpp"

#include <new>
#include <ostream>
#include <string>

#include "catalog/catalog.hpp"
#include "catalog/diagnostics.hpp"
#include "check/checker.hpp"
#include "check/lock_file.hpp"
#include "set_storage.hpp"

namespace strata::generator {

struct CompiledSet::Storage : SetStorage {};

CompiledSet::CompiledSet(std::unique_ptr<Storage> storage) noexcept
    : m_storage(std::move(storage)) {}
CompiledSet::CompiledSet(CompiledSet&& other) noexcept = default;
CompiledSet& CompiledSet::operator=(CompiledSet&& other) noexcept = default;
CompiledSet::~CompiledSet() = default;

const strata::MigrationSet& CompiledSet::set() const noexcept {
  return m_storage->set;
}

const std::vector<std::filesystem::path>& CompiledSet::inputs() const noexcept {
  return m_storage->inputs;
}

namespace {

std::unique_ptr<CompiledSet::Storage> build_storage(Catalog& catalog,
                                                    std::vector<CheckedMigration>& checked) {
  auto storage = std::make_unique<CompiledSet::Storage>();
  storage->migrations.reserve(catalog.migrations.size());
  for (std::size_t i = 0; i < catalog.migrations.size(); ++i)
    storage->migrations.push_back(checked_element(catalog.migrations[i], checked[i], *storage));
  storage->set = strata::MigrationSet{storage->migrations};
  storage->inputs = std::move(catalog.inputs);
  return storage;
}

}  // namespace

std::optional<CompiledSet> compile(const SourceOptions& options, std::ostream& out) {
  try {
    Diagnostics diagnostics;
    Catalog catalog = load_catalog(options, diagnostics);
    std::vector<CheckedMigration> checked = check_catalog(catalog, options, diagnostics);
    // The lock file is an input too: editing it must regenerate (and re-check) the table.
    if (const auto lock = lock_file_path(options); std::filesystem::exists(lock))
      catalog.inputs.push_back(lock);
    if (!print_diagnostics(diagnostics, options, out))
      return std::nullopt;
    return CompiledSet{build_storage(catalog, checked)};
  } catch (const std::bad_alloc&) {
    throw OutOfMemory{"compiling the migrations in", options.migrations_dir};
  }
}

bool print_diagnostics(Diagnostics& diagnostics, const SourceOptions& options, std::ostream& out) {
  if (options.warnings_as_errors)
    diagnostics.promote_warnings();
  if (options.errors_only)
    diagnostics.print_errors(out);
  else
    diagnostics.print(out);
  if (!diagnostics.has_errors())
    return true;
  const std::size_t errors = diagnostics.count(Severity::error);
  out << errors << (errors == 1 ? " error" : " errors") << " in migrations\n";
  return false;
}

}  // namespace strata::generator
