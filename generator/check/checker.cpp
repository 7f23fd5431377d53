// Runs the rules over a catalog.
#include "check/checker.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <system_error>
#include <thread>

#include "catalog/diagnostics.hpp"
#include "catalog/source_options.hpp"
#include "check/function_bodies.hpp"
#include "check/large_stack.hpp"
#include "check/lint/linter.hpp"
#include "check/lock_file.hpp"
#include "check/routines.hpp"

namespace strata::generator {

std::string CheckedSection::approved_sql(const SectionSource& section) const {
  std::string sql{section.text()};
  for (const auto& [begin, end] : blanked) {
    for (std::size_t i = begin; i < end && i < sql.size(); ++i) {
      if (sql[i] != '\n')
        sql[i] = ' ';
    }
  }
  return sql;
}
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

// Calls `work(i)` for every i below `count`, on up to one thread per core, each with a large
// stack (parse trees are walked recursively, and a statement may nest 25,000 levels); rethrows
// the first exception a call threw.
template <typename Work>
void for_each_index(std::size_t count, const Work& work) {
  constexpr std::size_t per_thread_minimum = 64;  // below this, starting a thread costs more
  const std::size_t threads = std::clamp<std::size_t>(
      std::min<std::size_t>(std::thread::hardware_concurrency(), count / per_thread_minimum), 1, 8);
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failures(threads);
  auto worker = [&](std::size_t thread) {
    try {
      for (std::size_t i = next++; i < count; i = next++)
        work(i);
    } catch (...) {
      failures[thread] = std::current_exception();
      next = count;
    }
  };
  {
    std::vector<std::unique_ptr<LargeStackThread>> helpers;
    try {
      for (std::size_t thread = 0; thread < threads; ++thread) {
        helpers.push_back(std::make_unique<LargeStackThread>(
            large_stack_bytes, [&worker, thread] { worker(thread); }));
      }
    } catch (const std::system_error&) {
      // No more threads to be had (a memory or process limit): those started share the work.
      // Not even one is out of memory: the checks cannot run on a smaller stack.
      if (helpers.empty())
        throw std::bad_alloc{};
    }
  }  // joins
  for (const std::exception_ptr& failure : failures) {
    if (failure)
      std::rethrow_exception(failure);
  }
}

// A dbmate up section with no statement is a misplaced marker, or a `strata new` file not filled
// in yet: a warning, so that the fresh file does not stop every other command.
void check_empty_up(const MigrationSource& migration, const CheckedSection& up,
                    Diagnostics& diagnostics) {
  if (migration.form != Form::dbmate || !up.parsed.complete || !up.parsed.statements.empty()) {
    return;
  }
  diagnostics.add(*migration.up.file, migration.up.marker_offset, "strata-W109", "empty up section",
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
      diagnostics.add(*routine.up.file, at, "strata-E403",
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
  // Released migrations are not linted: they ran in production already, and an allow comment
  // would change their checksum.
  const LockedVersions released = check_lock_file(catalog, options, diagnostics);
  std::vector<std::size_t> every(catalog.migrations.size());
  for (std::size_t i = 0; i < every.size(); ++i)
    every[i] = i;
  return check_migrations(catalog, every, released, diagnostics);
}

std::vector<CheckedMigration> check_migrations(const Catalog& catalog,
                                               std::span<const std::size_t> positions,
                                               const LockedVersions& released,
                                               Diagnostics& diagnostics) {
  const std::size_t count = positions.size();
  std::vector<CheckedMigration> result(count);
  std::vector<Diagnostics> found(count);

  // What concerns one migration alone (parsing is most of the time) runs on every core, each
  // migration into its own diagnostics. libpg_query keeps its state in thread-local storage.
  for_each_index(count, [&](std::size_t i) {
    const MigrationSource& migration = catalog.migrations[positions[i]];
    try {
      CheckedMigration& checked = result[i];
      checked.up = check_section(migration, migration.up, found[i]);
      checked.down = check_section(migration, migration.down, found[i]);
      check_empty_up(migration, checked.up, found[i]);
      if (migration.kind == MigrationKind::routine)
        return;
      if (!released.contains(migration.version)) {
        lint_migration(migration, checked.up.parsed, checked.down.parsed, found[i]);
      } else {
        std::vector<Diagnostic> own = found[i].take();
        explain_locked(own);
        for (Diagnostic& diagnostic : own)
          found[i].add(std::move(diagnostic));
      }
    } catch (const std::bad_alloc&) {
      result[i] = {};  // gives back what this migration's trees hold before reporting
      throw OutOfMemory{"checking", migration.up.present() ? migration.up.file->path()
                                                           : migration.down.file->path()};
    }
  });

  // Then, in catalog order, what spans migrations; diagnostics come out in the same order as
  // from one thread.
  std::map<std::string, std::pair<const SourceFile*, std::size_t>> routine_objects;
  for (std::size_t i = 0; i < count; ++i) {
    for (Diagnostic& diagnostic : found[i].take())
      diagnostics.add(std::move(diagnostic));
    const MigrationSource& migration = catalog.migrations[positions[i]];
    if (migration.kind == MigrationKind::routine)
      check_routine(migration, result[i], routine_objects, diagnostics);
  }
  return result;
}

}  // namespace strata::generator
