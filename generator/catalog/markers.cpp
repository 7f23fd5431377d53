// Section markers (dbmate's and node-pg-migrate's) and the sqlx `-- no-transaction` first line.
#include "catalog/markers.hpp"

#include <optional>
#include <string>

#include "catalog/catalog.hpp"
#include "catalog/diagnostics.hpp"
#include "catalog/text.hpp"

namespace strata::generator {
namespace {

enum class MarkerKind { up, down };

struct Marker {
  MarkerKind kind;
  std::string_view options;  // the rest of the line after the keyword
};

bool starts_with_word(std::string_view text, std::string_view lower_word) noexcept {
  if (text.size() < lower_word.size())
    return false;
  for (std::size_t i = 0; i < lower_word.size(); ++i) {
    const char c = text[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != lower_word[i])
      return false;
  }
  return true;
}

// node-pg-migrate's SQL marker, as its own reader finds it (case-insensitive):
// `^\s*--[\s-]*(up|down)\s+migration`, e.g. `-- Up Migration`. The rest of the line is ignored.
std::optional<Marker> parse_node_pg_migrate_marker(std::string_view line) noexcept {
  while (!line.empty() && is_blank(line.front()))
    line.remove_prefix(1);
  if (!line.starts_with("--"))
    return std::nullopt;
  while (!line.empty() && (is_blank(line.front()) || line.front() == '-'))
    line.remove_prefix(1);
  MarkerKind kind;
  if (starts_with_word(line, "up")) {
    kind = MarkerKind::up;
    line.remove_prefix(2);
  } else if (starts_with_word(line, "down")) {
    kind = MarkerKind::down;
    line.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  if (line.empty() || !is_blank(line.front()))
    return std::nullopt;
  while (!line.empty() && is_blank(line.front()))
    line.remove_prefix(1);
  if (!starts_with_word(line, "migration"))
    return std::nullopt;
  return Marker{kind, {}};
}

// Parses one line as a marker: dbmate's `^--\s*migrate:(up|down)(\s*$|\s+\S+)`, else
// node-pg-migrate's.
std::optional<Marker> parse_marker(std::string_view line) noexcept {
  std::string_view rest = line;
  if (!rest.starts_with("--"))
    return parse_node_pg_migrate_marker(line);
  rest.remove_prefix(2);
  while (!rest.empty() && is_blank(rest.front()))
    rest.remove_prefix(1);
  if (!rest.starts_with("migrate:"))
    return parse_node_pg_migrate_marker(line);
  rest.remove_prefix(8);
  MarkerKind kind;
  if (rest.starts_with("up")) {
    kind = MarkerKind::up;
    rest.remove_prefix(2);
  } else if (rest.starts_with("down")) {
    kind = MarkerKind::down;
    rest.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  if (!rest.empty() && !is_blank(rest.front()))
    return std::nullopt;  // `migrate:upgrade`
  return Marker{kind, trim(rest)};
}

// Applies the options of a marker line to a section; reports unknown ones.
bool apply_options(const SourceFile& file, std::string_view options, SectionSource& section,
                   Diagnostics& diagnostics) {
  bool ok = true;
  std::size_t i = 0;
  while (i < options.size()) {
    while (i < options.size() && is_blank(options[i]))
      ++i;
    std::size_t end = i;
    while (end < options.size() && !is_blank(options[end]))
      ++end;
    if (end == i)
      break;
    const std::string_view word = options.substr(i, end - i);
    const auto word_offset = static_cast<std::size_t>(word.data() - file.text().data());
    if (word == "transaction:false") {
      section.in_transaction = false;
    } else if (word == "transaction:true") {
      section.in_transaction = true;
    } else {
      diagnostics.add(file, word_offset, "strata-E106",
                      "unknown migration marker option `" + std::string{word} + "`",
                      "the only option is transaction:false (or transaction:true)");
      ok = false;
    }
    i = end;
  }
  return ok;
}

}  // namespace

bool has_section_marker(std::string_view text) noexcept {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    if (parse_marker(text.substr(start, end - start)))
      return true;
    start = end + 1;
  }
  return false;
}

bool has_no_transaction_line(std::string_view text) noexcept {
  const std::string_view first = text.substr(0, text.find('\n'));
  return trim(first) == "-- no-transaction";
}

bool split_marked_sections(const SourceFile& file, MigrationSource& migration,
                           Diagnostics& diagnostics) {
  const std::string_view text = file.text();
  bool ok = true;
  bool seen_up = false;
  bool seen_down = false;
  for (std::uint32_t line = 1; line <= file.line_count(); ++line) {
    const std::size_t start = file.line_start(line);
    const std::string_view line_text = file.line_text(line);
    const std::size_t next = start + line_text.size() + 1;  // after the newline
    const auto marker = parse_marker(line_text);
    if (!marker) {
      const std::string_view content = trim(line_text);
      if (!seen_up && !seen_down && !content.empty() && !content.starts_with("--")) {
        const std::size_t column = static_cast<std::size_t>(content.data() - line_text.data());
        diagnostics.add(file, start + column, "strata-E104",
                        "text before the first `-- migrate:up` marker",
                        "only blank lines and `--` comments may precede `-- migrate:up`; move "
                        "this statement below the marker");
        ok = false;
        seen_down = true;  // report once, not on every line of the stray statement
      }
      continue;
    }
    SectionSource* section = nullptr;
    if (marker->kind == MarkerKind::up) {
      if (seen_up) {
        diagnostics.add(file, start, "strata-E105", "second `-- migrate:up` marker",
                        "a migration file holds one up section; put the next change in a new "
                        "migration file");
        ok = false;
        continue;
      }
      seen_up = true;
      section = &migration.up;
    } else {
      if (!seen_up && !migration.down.present()) {
        diagnostics.add(file, start, "strata-E103",
                        "`-- migrate:down` marker before any `-- migrate:up` marker",
                        "write the up section first, then the down section");
        ok = false;
        seen_down = true;
        continue;
      }
      if (migration.down.present()) {
        diagnostics.add(file, start, "strata-E105", "second `-- migrate:down` marker",
                        "a migration file holds one down section");
        ok = false;
        continue;
      }
      section = &migration.down;
    }
    section->file = &file;
    section->marker_offset = start;
    section->offset = std::min(next, text.size());
    section->length = text.size() - section->offset;
    ok = apply_options(file, marker->options, *section, diagnostics) && ok;
    if (section == &migration.down && migration.up.present()) {
      migration.up.length = start - migration.up.offset;
    }
  }
  return ok;
}

bool runs_outside_transaction(const SourceFile& metadata_toml) {
  for (std::uint32_t line = 1; line <= metadata_toml.line_count(); ++line) {
    std::string compact;
    for (const char c : metadata_toml.line_text(line)) {
      if (c == '#')
        break;
      if (c != ' ' && c != '\t')
        compact += c;
    }
    if (compact == "run_in_transaction=false")
      return true;
  }
  return false;
}

}  // namespace strata::generator
