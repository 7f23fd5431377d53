// The naming rules of the migration forms: what a file or folder name says about the migration
// it holds. Pure functions of the name; the catalog decides what to do with the answer.
#pragma once

#include <string>
#include <string_view>

namespace strata::generator {

enum class NameKind {
  single,       // <v>[_-]<name>.sql: dbmate (with markers) or plain (without)
  pair_up,      // <v>[_-]<name>.up.sql
  pair_down,    // <v>[_-]<name>.down.sql
  flyway_up,    // V<v>__<name>.sql
  flyway_down,  // U<v>__<name>.sql
  routine,      // R__<name>.sql
  not_sql,      // not a .sql file: not ours, ignored (README, metadata.toml, .keep)
  invalid,      // a .sql file that fits no form; `problem` says why
};

struct ClassifiedName {
  NameKind kind = NameKind::invalid;
  std::string version;  // as written; Flyway's `_` separators shown as `.`
  std::string name;     // descriptive part; for a routine the file name without ".sql"
  std::string problem;  // for NameKind::invalid
};

// Why a migration's file or folder name cannot be used, or empty. The name becomes the
// migration's name in the history table and in `status` and `--json` output, which need UTF-8
// text; a control character would act on the terminal of everyone who lists the migrations.
[[nodiscard]] std::string unusable_name(std::string_view name);

// Classifies a file name (no directory part) found in the migrations folder.
[[nodiscard]] ClassifiedName classify_file_name(std::string_view file_name);

// Classifies a folder name in the migrations folder: `<v>_<name>` with `<v>` digit groups joined
// by `-` (Diesel's `2024-01-01-000000`). Returns kind single for a migration folder, not_sql for
// any other folder (ignored, e.g. the routines folder).
[[nodiscard]] ClassifiedName classify_directory_name(std::string_view directory_name);

// Whether `name` could be the descriptive part of a new migration's file name (`strata new`):
// non-empty, no path separators, no characters that are invalid or awkward in file names.
[[nodiscard]] bool is_valid_migration_name(std::string_view name) noexcept;

}  // namespace strata::generator
