// Runs the rules over a catalog.
#include "check/checker.hpp"

#include <map>

#include "catalog/diagnostics.hpp"
#include "check/function_bodies.hpp"
#include "check/lint/linter.hpp"
#include "check/lock_file.hpp"
#include "check/routines.hpp"
#include "strata/generator/compiler.hpp"

namespace strata::generator {
namespace {

CheckedSection check_section(const MigrationSource& migration, const SectionSource& section,
                             Diagnostics& diagnostics) {
  CheckedSection checked;
  if (!section.present())
    return checked;
  checked.parsed = parse_section(section, diagnostics);
  for (const ParsedStatement& statement : checked.parsed.statements) {
    if (!statement.unchecked)
      check_function_bodies(section, statement, diagnostics);
  }
  checked.blanked = check_transactions(migration, section, checked.parsed, diagnostics);
  return checked;
}

// A dbmate up section with no statement is almost always a misplaced marker.
void check_empty_up(const MigrationSource& migration, const CheckedSection& up,
                    Diagnostics& diagnostics) {
  if (migration.form != Form::dbmate || !up.parsed.complete || !up.parsed.statements.empty()) {
    return;
  }
  diagnostics.add(Severity::error, *migration.up.file, migration.up.marker_offset, "strata-E109",
                  "empty up section",
                  "put the migration's statements between `-- migrate:up` and `-- migrate:down`");
}

// Routines: restrictions, derived DROPs, and one definition per object across files (E403).
void check_routine(const MigrationSource& routine, CheckedMigration& checked,
                   std::map<std::string, std::pair<const SourceFile*, std::size_t>>& defined,
                   Diagnostics& diagnostics) {
  const auto objects = analyse_routine(routine.up, checked.up.parsed, diagnostics);
  for (const RoutineObject& object : objects) {
    const std::size_t at = routine.up.offset + object.offset;
    const auto [it, inserted] = defined.try_emplace(object.identity, routine.up.file, at);
    if (!inserted && it->second.first != routine.up.file) {
      const SourceFile& first = *it->second.first;
      diagnostics.add(Severity::error, *routine.up.file, at, "strata-E403",
                      object.identity + " is already defined by routine file " +
                          first.path().string() + ':' +
                          std::to_string(first.line_of(it->second.second)),
                      "each object belongs to one routine file; remove one of the definitions");
    }
  }
  for (auto object = objects.rbegin(); object != objects.rend(); ++object) {
    const auto offset = static_cast<std::uint32_t>(checked.derived_down.size());
    checked.derived_down += object->drop_sql;
    checked.derived_statements.push_back(
        strata::Statement{offset, static_cast<std::uint32_t>(object->drop_sql.size()),
                          routine.up.file->line_of(routine.up.offset + object->offset)});
    checked.derived_down += '\n';
  }
}

}  // namespace

std::vector<CheckedMigration> check_catalog(const Catalog& catalog, const SourceOptions& options,
                                            Diagnostics& diagnostics) {
  std::vector<CheckedMigration> result;
  result.reserve(catalog.migrations.size());
  std::map<std::string, std::pair<const SourceFile*, std::size_t>> routine_objects;
  // Released migrations are not linted: they ran in production already, and an allow comment
  // would change their checksum.
  const LockedVersions released = check_lock_file(catalog, options, diagnostics);
  for (const MigrationSource& migration : catalog.migrations) {
    CheckedMigration checked;
    checked.up = check_section(migration, migration.up, diagnostics);
    checked.down = check_section(migration, migration.down, diagnostics);
    check_empty_up(migration, checked.up, diagnostics);
    if (migration.kind == MigrationKind::routine) {
      check_routine(migration, checked, routine_objects, diagnostics);
    } else if (!released.contains(migration.version)) {
      lint_migration(migration, checked.up.parsed, checked.down.parsed, diagnostics);
    }
    result.push_back(std::move(checked));
  }
  return result;
}

}  // namespace strata::generator
