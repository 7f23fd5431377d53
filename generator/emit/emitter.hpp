// The emitter: a MigrationSet as a header and a translation unit of constant data, from the
// embedded templates. The output depends only on the set and the options, so an unchanged
// migration folder yields byte-identical files (and the tool's write_if_changed leaves them
// untouched), and it holds no absolute path, so the same project built in another folder yields
// them too.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <strata/migration_set.hpp>

namespace strata::generator {

struct EmitOptions {
  std::string name_space;  // a C++ identifier; also the files' base name
  // The folder of versioned migrations. Paths are emitted relative to it (a routine in a sibling
  // folder as `../routines/x.sql`) and the header comment names only its last component, so the
  // output is the same wherever the project sits and no build machine's path ships in a binary.
  std::filesystem::path migrations_dir;
  // The history table compiled in (MigrationSet::history_table()); empty: none.
  std::string history_table{};
};

struct EmittedFiles {
  std::string header;  // <ns>.hpp
  std::string source;  // <ns>.cpp
};

// Throws std::length_error when a number of the table does not fit its field (more than 4 GiB of
// text, a path longer than 262,143 bytes, …), naming the migration.
[[nodiscard]] EmittedFiles emit(const strata::MigrationSet& set, const EmitOptions& options);

// Whether `name` can be the namespace: an identifier, not a C++ keyword, no leading `__`.
[[nodiscard]] bool is_valid_namespace(std::string_view name) noexcept;

}  // namespace strata::generator
