// Reading other tools' history tables, each exactly as that tool writes it (docs/switching.md cites
// the source of every shape and rule used here).
#include "foreign.hpp"

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <fstream>
#include <iterator>

#include <strata/error.hpp>
#include <strata/version_order.hpp>

#include "history.hpp"

namespace strata {
namespace {

struct ToolInfo {
  ForeignTool tool;
  std::string_view name;
  std::string_view table;
};

constexpr std::array<ToolInfo, 7> k_tools{{
    {ForeignTool::dbmate, "dbmate", "schema_migrations"},
    {ForeignTool::sqlx, "sqlx", "_sqlx_migrations"},
    {ForeignTool::golang_migrate, "golang-migrate", "schema_migrations"},
    {ForeignTool::goose, "goose", "goose_db_version"},
    {ForeignTool::flyway, "flyway", "flyway_schema_history"},
    {ForeignTool::diesel, "diesel", "__diesel_schema_migrations"},
    {ForeignTool::node_pg_migrate, "node-pg-migrate", "pgmigrations"},
}};

const ToolInfo& info(ForeignTool tool) noexcept {
  return k_tools[static_cast<std::size_t>(tool)];
}

}  // namespace

const std::vector<ForeignTool>& foreign_tools() noexcept {
  static const std::vector<ForeignTool> tools = [] {
    std::vector<ForeignTool> all;
    for (const ToolInfo& tool : k_tools)
      all.push_back(tool.tool);
    return all;
  }();
  return tools;
}

std::string_view tool_name(ForeignTool tool) noexcept {
  return info(tool).name;
}

std::optional<ForeignTool> tool_named(std::string_view name) noexcept {
  for (const ToolInfo& tool : k_tools) {
    if (tool.name == name)
      return tool.tool;
  }
  return std::nullopt;
}

std::string_view default_table(ForeignTool tool) noexcept {
  return info(tool).table;
}

namespace detail {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

std::string_view without_leading_zeros(std::string_view digits) noexcept {
  while (digits.size() > 1 && digits.front() == '0')
    digits.remove_prefix(1);
  return digits;
}

// Flyway's version in canonical form: segments split on `.` or `_`, leading zeros and trailing zero
// segments dropped ("1.0" and "001" are both "1").
std::string flyway_canonical(std::string_view version) {
  std::vector<std::string> segments(1);
  for (const char c : version) {
    if (c == '.' || c == '_') {
      segments.emplace_back();
    } else {
      segments.back() += c;
    }
  }
  for (std::string& segment : segments)
    segment = std::string{without_leading_zeros(segment)};
  while (segments.size() > 1 && segments.back() == "0")
    segments.pop_back();
  std::string out;
  for (const std::string& segment : segments)
    out += (out.empty() ? "" : ".") + segment;
  return out;
}

std::set<std::string> columns_of(pq::Connection& conn, const std::string& quoted) {
  const pq::Result result = conn.exec(
      "SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = "
      "pg_catalog.to_regclass(" +
      conn.quote_literal(quoted) + ") AND a.attnum > 0 AND NOT a.attisdropped");
  std::set<std::string> columns;
  for (int i = 0; i < result.rows(); ++i)
    columns.emplace(result.text(i, 0));
  return columns;
}

// Which tool writes a table with these columns.
std::optional<ForeignTool> tool_of(const std::set<std::string>& columns) {
  const auto has = [&](const char* column) { return columns.count(column) != 0; };
  if (has("installed_rank") && has("version") && has("success"))
    return ForeignTool::flyway;
  if (has("version_id") && has("is_applied"))
    return ForeignTool::goose;
  if (has("version") && has("dirty"))
    return ForeignTool::golang_migrate;
  if (has("version") && has("checksum") && has("success"))
    return ForeignTool::sqlx;
  if (has("version") && has("run_on"))
    return ForeignTool::diesel;
  if (has("name") && has("run_on"))
    return ForeignTool::node_pg_migrate;
  if (has("version"))
    return ForeignTool::dbmate;
  return std::nullopt;
}

std::string count_sql(const ForeignHistory& history, const std::string& quoted) {
  switch (history.tool) {
    case ForeignTool::golang_migrate:
      return "SELECT count(*) FROM " + quoted;
    case ForeignTool::goose:
      return "SELECT count(*) FROM (SELECT DISTINCT ON (version_id) version_id, is_applied FROM " +
             quoted + " ORDER BY version_id, id DESC) v WHERE is_applied AND version_id <> 0";
    case ForeignTool::flyway:
      return "SELECT count(DISTINCT version) FROM " + quoted + " WHERE version IS NOT NULL";
    default:
      return "SELECT count(*) FROM " + quoted;
  }
}

std::string hex_of(std::string_view bytes) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out += digits[u >> 4U];
    out += digits[u & 0x0FU];
  }
  return out;
}

std::string_view base_name(std::string_view path) noexcept {
  return path.substr(path.find_last_of('/') + 1);
}

// The folder name of a Diesel migration (`…/<folder>/up.sql`), or "" for a file migration.
std::string_view folder_of(const Migration& migration) noexcept {
  const std::string_view path = migration.up.path;
  if (base_name(path) != "up.sql")
    return {};
  return base_name(path.substr(0, path.find_last_of('/')));
}

// The digits before the first `_` of a file name ending in `suffix`, canonical; nullopt if none.
std::optional<std::string> number_before_underscore(std::string_view file,
                                                    std::string_view suffix) {
  if (!file.ends_with(suffix))
    return std::nullopt;
  const std::size_t underscore = file.find('_');
  if (underscore == 0 || underscore == std::string_view::npos)
    return std::nullopt;
  const std::string_view digits = file.substr(0, underscore);
  if (!std::all_of(digits.begin(), digits.end(), is_digit))
    return std::nullopt;
  return std::string{without_leading_zeros(digits)};
}

}  // namespace

std::vector<ForeignHistory> find_foreign_tables(pq::Connection& conn,
                                                std::optional<ForeignTool> from,
                                                const std::string& table) {
  std::vector<ForeignHistory> found;
  const auto add = [&](const std::string& name, std::optional<ForeignTool> expected) {
    const std::string quoted = HistoryTable{name}.quoted();
    const std::set<std::string> columns = columns_of(conn, quoted);
    if (columns.empty())
      return false;
    const std::optional<ForeignTool> tool = tool_of(columns);
    if (!tool || (expected && *tool != *expected))
      return true;  // a table of that name, but not that tool's
    ForeignHistory history{*tool, name, 0};
    history.versions = static_cast<std::size_t>(
        std::stoull(std::string{conn.exec(count_sql(history, quoted)).text(0, 0)}));
    found.push_back(std::move(history));
    return true;
  };
  if (!table.empty()) {
    if (!add(table, std::nullopt))
      throw ConfigurationError("--table " + table + ": no such table in this database");
    if (found.empty() || (from && found.front().tool != *from)) {
      throw ConfigurationError(
          "--table " + table + ": its columns are not " +
          std::string{from ? tool_name(*from) : "any supported tool"} + "'s" +
          (found.empty() ? "" : " but " + std::string{tool_name(found.front().tool)} + "'s") +
          " (see docs/switching.md for each tool's table)");
    }
    return found;
  }
  std::set<std::string> seen;
  for (const ForeignTool tool : foreign_tools()) {
    if (from && tool != *from)
      continue;
    const std::string name{default_table(tool)};
    if (!seen.insert(name).second && !from)
      continue;  // schema_migrations: one look tells dbmate from golang-migrate
    add(name, from);
  }
  return found;
}

ForeignState read_foreign(pq::Connection& conn, const ForeignHistory& history) {
  const std::string table = HistoryTable{history.table}.quoted();
  ForeignState state;
  switch (history.tool) {
    case ForeignTool::dbmate:
    case ForeignTool::diesel:
    case ForeignTool::node_pg_migrate: {  // one row per applied version (node-pg-migrate: name)
      const char* column = history.tool == ForeignTool::node_pg_migrate ? "name" : "version";
      const pq::Result result = conn.exec(std::string{"SELECT "} + column + " FROM " + table);
      for (int i = 0; i < result.rows(); ++i)
        state.applied.emplace(result.text(i, 0));
      break;
    }
    case ForeignTool::sqlx: {
      const pq::Result result =
          conn.exec("SELECT version::text, success, encode(checksum, 'hex') FROM " + table);
      for (int i = 0; i < result.rows(); ++i) {
        const std::string version{result.text(i, 0)};
        if (result.text(i, 1) != "t")
          state.unfinished.push_back(version);
        state.applied.insert(version);
        state.checksums[version] = result.text(i, 2);
      }
      break;
    }
    case ForeignTool::golang_migrate: {
      const pq::Result result = conn.exec("SELECT version::text, dirty FROM " + table);
      for (int i = 0; i < result.rows(); ++i) {
        const std::string version{result.text(i, 0)};
        if (result.text(i, 1) == "t")
          state.unfinished.push_back(version);
        if (version != "-1") {  // golang-migrate's "nil version": nothing applied
          state.applied.insert(version);
          state.ceiling = version;
        }
      }
      break;
    }
    case ForeignTool::goose: {
      // An append-only log: the newest row of each version says whether it is applied; version 0
      // is the row goose writes when it creates the table.
      const pq::Result result =
          conn.exec("SELECT DISTINCT ON (version_id) version_id::text, is_applied FROM " + table +
                    " ORDER BY version_id, id DESC");
      for (int i = 0; i < result.rows(); ++i) {
        if (result.text(i, 1) == "t" && result.text(i, 0) != "0")
          state.applied.emplace(result.text(i, 0));
      }
      break;
    }
    case ForeignTool::flyway: {
      // Rows in installed order; the last row of a version wins (an undo or a repair's DELETE
      // marker takes it back).
      const pq::Result result =
          conn.exec("SELECT version, type, checksum::text, success FROM " + table +
                    " WHERE version IS NOT NULL ORDER BY installed_rank");
      for (int i = 0; i < result.rows(); ++i) {
        const std::string version = flyway_canonical(result.text(i, 0));
        const std::string_view type = result.text(i, 1);
        if (type == "BASELINE") {
          state.ceiling = version;
          continue;
        }
        if (type.starts_with("UNDO") || type == "DELETE") {
          state.applied.erase(version);
          continue;
        }
        if (result.text(i, 3) != "t") {
          state.unfinished.push_back(version);
          continue;
        }
        state.applied.insert(version);
        if (!result.is_null(i, 2))
          state.checksums[version] = result.text(i, 2);
      }
      // Repeatable SQL migrations: Flyway runs one again whenever its checksum changes, so its
      // newest row says which text is in effect. (Java repeatables have no file to match.)
      const pq::Result repeatable =
          conn.exec("SELECT script, coalesce(checksum::text, ''), success FROM " + table +
                    " WHERE version IS NULL AND type = 'SQL' ORDER BY installed_rank");
      for (int i = 0; i < repeatable.rows(); ++i) {
        std::string_view script = repeatable.text(i, 0);
        script = script.substr(script.find_last_of('/') + 1);  // npos + 1 == 0
        if (script.ends_with(".sql"))
          script.remove_suffix(4);
        const std::string name{script};
        if (repeatable.text(i, 2) != "t") {
          state.unfinished.push_back(name);
          state.repeatables.erase(name);
          continue;
        }
        std::erase(state.unfinished, name);
        state.repeatables[name] = repeatable.text(i, 1);
      }
      break;
    }
  }
  return state;
}

std::optional<std::string> foreign_version(ForeignTool tool, const Migration& migration) {
  if (migration.kind != MigrationKind::migration)
    return std::nullopt;
  const std::string_view folder = folder_of(migration);
  const std::string_view file = base_name(migration.up.path);
  if (tool == ForeignTool::diesel) {
    return folder.empty() ? std::nullopt : std::optional{diesel_version(folder)};
  }
  if (!folder.empty())
    return std::nullopt;  // the other tools read files, not folders
  switch (tool) {
    case ForeignTool::dbmate: {  // ^(\d+).*\.sql$, the digits kept as written
      const std::size_t digits = static_cast<std::size_t>(
          std::find_if_not(file.begin(), file.end(), is_digit) - file.begin());
      if (digits == 0 || !file.ends_with(".sql"))
        return std::nullopt;
      return std::string{file.substr(0, digits)};
    }
    case ForeignTool::sqlx:
    case ForeignTool::goose: {
      std::optional<std::string> version = number_before_underscore(file, ".sql");
      if (tool == ForeignTool::goose && version == "0")
        return std::nullopt;  // goose ignores version 0
      return version;
    }
    case ForeignTool::golang_migrate:  // ^([0-9]+)_(.*)\.(down|up)\.(.*)$, the up file
      if (file.find(".up.") == std::string_view::npos)
        return std::nullopt;
      return number_before_underscore(file, "");
    case ForeignTool::flyway: {  // V<version>__<description>.sql
      const std::size_t separator = file.find("__");
      if (!file.starts_with('V') || separator == std::string_view::npos || separator < 2)
        return std::nullopt;
      return flyway_canonical(file.substr(1, separator - 1));
    }
    case ForeignTool::node_pg_migrate:  // the file name without its extension
      return std::string{file.substr(0, file.find_last_of('.'))};
    case ForeignTool::diesel:
      break;
  }
  return std::nullopt;
}

bool at_or_below(ForeignTool tool, std::string_view a, std::string_view b) {
  (void)tool;  // golang-migrate's numbers and Flyway's segments both order as compare_versions
  return std::is_lteq(compare_versions(a, b));
}

std::int32_t flyway_checksum(std::string_view text) noexcept {
  if (text.starts_with("\xEF\xBB\xBF"))
    text.remove_prefix(3);
  // CRC-32 (IEEE, reflected, as java.util.zip.CRC32). Feeding each line without its terminator is
  // feeding the text with every CR and LF left out.
  std::uint32_t crc = 0xFFFFFFFFU;
  for (const char c : text) {
    if (c == '\r' || c == '\n')
      continue;
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc >> 1U) ^ (0xEDB88320U & (0U - (crc & 1U)));
  }
  return static_cast<std::int32_t>(crc ^ 0xFFFFFFFFU);
}

std::optional<std::string> foreign_checksum(pq::Connection& conn, ForeignTool tool,
                                            const Migration& migration) {
  if (tool == ForeignTool::flyway)
    return std::to_string(flyway_checksum(migration.up.sql));
  if (tool != ForeignTool::sqlx)
    return std::nullopt;
  // sqlx hashes the file's bytes as they are; the embedded SQL has lost a BOM or CRs.
  std::string bytes{migration.up.sql};
  if (std::ifstream file{std::string{migration.up.path}, std::ios::binary}; file) {
    bytes.assign(std::istreambuf_iterator<char>{file}, std::istreambuf_iterator<char>{});
  }
  return std::string{
      conn.exec("SELECT encode(sha384(decode('" + hex_of(bytes) + "', 'hex')), 'hex')").text(0, 0)};
}

void rethrow_with_adopt_hint(const SqlError& error) {
  // duplicate_table, duplicate_object, duplicate_schema, duplicate_function, duplicate_column
  static constexpr std::array<std::string_view, 5> k_already_exists{"42P07", "42710", "42P06",
                                                                    "42723", "42701"};
  if (std::find(k_already_exists.begin(), k_already_exists.end(), error.sqlstate()) ==
      k_already_exists.end()) {
    throw error;
  }
  SqlError::Fields fields = error.fields();
  const std::string hint =
      "this database has no migration history, yet the first migration's objects exist: if "
      "another tool migrated it, take it over with `adopt --from TOOL`; if it was migrated by "
      "hand, record what it has with `adopt --baseline VERSION`";
  fields.hint = fields.hint.empty() ? hint : fields.hint + "; " + hint;
  throw SqlError(error.what(), std::move(fields));
}

}  // namespace detail
}  // namespace strata
