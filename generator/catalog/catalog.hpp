// The catalog: every migration and routine of a migrations folder (and a routines folder), each
// with its sections located in its normalised source files, in the order they apply.
//
// The catalog reads files and names; it does not parse SQL. The check stage parses every section
// it lists, and the compiler turns the checked catalog into a strata::MigrationSet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <strata/migration_set.hpp>

#include "catalog/source_file.hpp"

namespace strata::generator {

class Diagnostics;
struct SourceOptions;

// Which form a migration was written in; some rules depend on it (e.g. the opt-out hint).
enum class Form : std::uint8_t { dbmate, pair, plain, directory, flyway, routine };

[[nodiscard]] std::string_view form_name(Form form) noexcept;

// One direction of a migration: a byte range of a source file.
struct SectionSource {
  const SourceFile* file = nullptr;  // null: the section is absent
  std::size_t offset = 0;            // bytes into file->text()
  std::size_t length = 0;
  bool in_transaction = true;
  std::size_t marker_offset = 0;  // dbmate: where the marker line starts (for diagnostics)
  std::uint32_t unread_line = 1;  // first_line() while the file is not read (the catalog cache's)

  [[nodiscard]] bool present() const noexcept { return file != nullptr; }
  // Throws std::logic_error when the file is not read yet (SourceFile::is_read()).
  [[nodiscard]] std::string_view text() const {
    return present() ? file->text().substr(offset, length) : std::string_view{};
  }
  [[nodiscard]] std::uint32_t first_line() const noexcept {
    if (!present())
      return 1;
    return file->is_read() ? file->line_of(offset) : unread_line;
  }
};

struct MigrationSource {
  MigrationKind kind = MigrationKind::migration;
  Form form = Form::plain;
  std::string version;  // empty for a routine
  std::string name;
  SectionSource up;
  SectionSource down;
  std::string checksum;  // "sha256:<hex>" of up.text() (checksum.hpp)
};

struct Catalog {
  std::vector<std::unique_ptr<SourceFile>> files;  // stable addresses: sections point into them
  std::vector<MigrationSource> migrations;  // versioned in version order, then routines by name
  // Every file read and folder scanned; empty for a catalog from the cache (catalog_cache.hpp).
  std::vector<std::filesystem::path> inputs;
};

// Reads the folders named in `options`. Every problem is a diagnostic; the catalog holds what
// could be read (so later stages can report more problems in one run).
[[nodiscard]] Catalog load_catalog(const SourceOptions& options, Diagnostics& diagnostics);

}  // namespace strata::generator
