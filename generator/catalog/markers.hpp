// The single-file form: marker lines cut one file into an up and a down section. dbmate's
// `-- migrate:up` / `-- migrate:down` (with options on the line: `transaction:false`) and
// node-pg-migrate's `-- Up Migration` / `-- Down Migration` (no options).
#pragma once

#include <string_view>

namespace strata::generator {

class Diagnostics;
class SourceFile;
struct MigrationSource;

// Whether any line of `text` is a marker: dbmate's (`--` at column 0, optional spaces,
// `migrate:up` or `migrate:down`, then end of line or whitespace) or node-pg-migrate's (optional
// blanks, `--`, blanks or dashes, `up` or `down`, blanks, `migration`, in any case).
[[nodiscard]] bool has_section_marker(std::string_view text) noexcept;

// Fills migration.up / migration.down from the markers of `file`. Reports text before the first
// marker (E104), a down marker before any up marker (E103), a second up or down marker (E105),
// an unknown marker option (E106). Returns false on error.
bool split_marked_sections(const SourceFile& file, MigrationSource& migration,
                           Diagnostics& diagnostics);

// Whether a Diesel migration's metadata.toml says `run_in_transaction = false`.
[[nodiscard]] bool runs_outside_transaction(const SourceFile& metadata_toml);

// Whether the first line of `text` is sqlx's `-- no-transaction` opt-out.
[[nodiscard]] bool has_no_transaction_line(std::string_view text) noexcept;

}  // namespace strata::generator
