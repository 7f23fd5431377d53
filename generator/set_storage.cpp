// Catalog entries → MigrationSet elements over owned storage.
#include "set_storage.hpp"

namespace strata::generator {
namespace {

// A section's place and SQL as written; no statements.
strata::Section section_as_written(const SectionSource& section, SetStorage& storage) {
  if (!section.present())
    return {};
  strata::Section result;
  // The catalog outlives the set that views it. A file the catalog cache vouched for has no text
  // yet: its element is compared with the history, never run.
  result.sql = section.file->is_read() ? section.text() : std::string_view{};
  result.path = storage.keep(section.file->path().string());
  result.first_line = section.first_line();
  result.in_transaction = section.in_transaction;
  return result;
}

strata::Section build_section(const SectionSource& section, const CheckedSection& checked,
                              SetStorage& storage) {
  if (!section.present())
    return {};
  std::vector<strata::Statement> statements;
  statements.reserve(checked.parsed.statements.size());
  for (const ParsedStatement& statement : checked.parsed.statements) {
    statements.push_back(strata::Statement{
        static_cast<std::uint32_t>(statement.offset), static_cast<std::uint32_t>(statement.length),
        section.file->line_of(section.offset + statement.offset)});
  }
  strata::Section result = section_as_written(section, storage);
  result.sql = storage.keep(checked.approved_sql(section));
  result.statements = storage.keep(std::move(statements));
  return result;
}

strata::Migration identity(const MigrationSource& source, SetStorage& storage) {
  strata::Migration migration;
  migration.kind = source.kind;
  migration.version = storage.keep(source.version);
  migration.name = storage.keep(source.name);
  migration.checksum = storage.keep(source.checksum);
  return migration;
}

}  // namespace

strata::Migration checked_element(const MigrationSource& source, CheckedMigration& checked,
                                  SetStorage& storage) {
  strata::Migration migration = identity(source, storage);
  migration.up = build_section(source.up, checked.up, storage);
  if (source.kind == MigrationKind::routine) {
    if (!checked.derived_down.empty()) {
      migration.down.sql = storage.keep(std::move(checked.derived_down));
      migration.down.statements = storage.keep(std::move(checked.derived_statements));
      migration.down.path = migration.up.path;
      migration.down.first_line = 1;
      migration.down.in_transaction = true;
    }
  } else {
    migration.down = build_section(source.down, checked.down, storage);
  }
  return migration;
}

strata::Migration unchecked_element(const MigrationSource& source, SetStorage& storage) {
  strata::Migration migration = identity(source, storage);
  migration.up = section_as_written(source.up, storage);
  if (source.kind != MigrationKind::routine)
    migration.down = section_as_written(source.down, storage);
  return migration;
}

}  // namespace strata::generator
