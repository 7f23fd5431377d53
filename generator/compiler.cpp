// The façade: catalog → checks → a MigrationSet over owned storage.
#include "strata/generator/compiler.hpp"

#include <deque>
#include <ostream>

#include "catalog/catalog.hpp"
#include "catalog/diagnostics.hpp"
#include "check/checker.hpp"
#include "check/lock_file.hpp"

namespace strata::generator {

// Owns every string and array the set's views point into. Deques never move their elements, so
// the views stay valid while storage grows.
struct CompiledSet::Storage {
  std::deque<std::string> strings;
  std::deque<std::vector<strata::Statement>> statements;
  std::vector<strata::Migration> migrations;
  strata::MigrationSet set;
  std::vector<std::filesystem::path> inputs;

  std::string_view keep(std::string text) { return strings.emplace_back(std::move(text)); }
  std::span<const strata::Statement> keep(std::vector<strata::Statement> list) {
    return statements.emplace_back(std::move(list));
  }
};

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

// The section's SQL as sent: lifted BEGIN/COMMIT replaced by spaces (newlines kept, so every
// position still maps to the file).
std::string emitted_sql(const SectionSource& section, const CheckedSection& checked) {
  std::string sql{section.text()};
  for (const auto& [begin, end] : checked.blanked) {
    for (std::size_t i = begin; i < end && i < sql.size(); ++i) {
      if (sql[i] != '\n')
        sql[i] = ' ';
    }
  }
  return sql;
}

strata::Section build_section(const SectionSource& section, const CheckedSection& checked,
                              CompiledSet::Storage& storage) {
  if (!section.present())
    return {};
  std::vector<strata::Statement> statements;
  statements.reserve(checked.parsed.statements.size());
  for (const ParsedStatement& statement : checked.parsed.statements) {
    statements.push_back(strata::Statement{
        static_cast<std::uint32_t>(statement.offset), static_cast<std::uint32_t>(statement.length),
        section.file->line_of(section.offset + statement.offset)});
  }
  strata::Section result;
  result.sql = storage.keep(emitted_sql(section, checked));
  result.statements = storage.keep(std::move(statements));
  result.path = storage.keep(section.file->path().string());
  result.first_line = section.first_line();
  result.in_transaction = section.in_transaction;
  return result;
}

std::unique_ptr<CompiledSet::Storage> build_storage(Catalog& catalog,
                                                    std::vector<CheckedMigration>& checked) {
  auto storage = std::make_unique<CompiledSet::Storage>();
  storage->migrations.reserve(catalog.migrations.size());
  for (std::size_t i = 0; i < catalog.migrations.size(); ++i) {
    const MigrationSource& source = catalog.migrations[i];
    CheckedMigration& result = checked[i];
    strata::Migration migration;
    migration.kind = source.kind;
    migration.version = storage->keep(source.version);
    migration.name = storage->keep(source.name);
    migration.checksum = storage->keep(source.checksum);
    migration.up = build_section(source.up, result.up, *storage);
    if (source.kind == MigrationKind::routine) {
      if (!result.derived_down.empty()) {
        migration.down.sql = storage->keep(std::move(result.derived_down));
        migration.down.statements = storage->keep(std::move(result.derived_statements));
        migration.down.path = migration.up.path;
        migration.down.first_line = 1;
        migration.down.in_transaction = true;
      }
    } else {
      migration.down = build_section(source.down, result.down, *storage);
    }
    storage->migrations.push_back(migration);
  }
  storage->set = strata::MigrationSet{storage->migrations};
  storage->inputs = std::move(catalog.inputs);
  return storage;
}

}  // namespace

std::optional<CompiledSet> compile(const SourceOptions& options, std::ostream& out) {
  Diagnostics diagnostics;
  Catalog catalog = load_catalog(options, diagnostics);
  std::vector<CheckedMigration> checked = check_catalog(catalog, options, diagnostics);
  // The lock file is an input too: editing it must regenerate (and re-check) the table.
  if (const auto lock = lock_file_path(options); std::filesystem::exists(lock))
    catalog.inputs.push_back(lock);
  if (options.warnings_as_errors)
    diagnostics.promote_warnings();
  if (options.errors_only)
    diagnostics.print_errors(out);
  else
    diagnostics.print(out);
  if (diagnostics.has_errors()) {
    const std::size_t errors = diagnostics.count(Severity::error);
    out << errors << (errors == 1 ? " error" : " errors") << " in migrations\n";
    return std::nullopt;
  }
  return CompiledSet{build_storage(catalog, checked)};
}

}  // namespace strata::generator
