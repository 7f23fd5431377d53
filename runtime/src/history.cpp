// The history table: layout check, DDL, reads and the SQL of its writes.
#include "history.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <strata/error.hpp>

#include "stable_hash.hpp"
#include "text.hpp"

namespace strata::detail {
namespace {

constexpr std::string_view layout_comment = "strata history, layout ";

// Stable across platforms and strata versions, which the lock key must be.
std::int64_t stable_hash(std::string_view text) noexcept {
  return static_cast<std::int64_t>(StableHash{}.add(text).value());
}

std::string statements_literal(const StatementList& statements) {
  if (statements.empty())
    return "NULL";
  std::string out = "'{";
  for (const Statement& statement : statements) {
    if (out.size() > 2)
      out += ',';
    out += std::to_string(statement.offset) + ',' + std::to_string(statement.length) + ',' +
           std::to_string(statement.line);
  }
  return out + "}'::integer[]";
}

std::vector<Statement> parse_statements(std::string_view array) {
  std::vector<std::uint32_t> numbers;
  std::uint32_t value = 0;
  bool in_number = false;
  for (const char c : array) {
    if (c >= '0' && c <= '9') {
      value = value * 10 + static_cast<std::uint32_t>(c - '0');
      in_number = true;
    } else if (in_number) {
      numbers.push_back(value);
      value = 0;
      in_number = false;
    }
  }
  std::vector<Statement> statements;
  for (std::size_t i = 0; i + 2 < numbers.size(); i += 3) {
    statements.push_back(Statement{numbers[i], numbers[i + 1], numbers[i + 2]});
  }
  return statements;
}

std::string base64(std::string_view bytes) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t chunk = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      chunk = (chunk << 8U) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0U);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= n ? alphabet[(chunk >> (18 - 6 * j)) & 0x3FU] : '=';
    }
  }
  return out;
}

std::int64_t to_int(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// What every read of the history needs: which row it is and whether it still matches. The
// no-op start reads these columns alone; the full read starts with them.
constexpr std::string_view identity_columns = "kind, version, name, revision, checksum, state";

RowState row_state(std::string_view text) {
  for (const RowState state : {RowState::applied, RowState::running, RowState::failed}) {
    if (text == to_string(state))
      return state;
  }
  throw Error("history row with the unknown state '" + std::string{text} +
              "': written by a newer strata? upgrade strata");
}

HistoryRow identity_row(const pq::Result& result, int i) {
  HistoryRow row;
  row.kind = result.text(i, 0) == "routine" ? MigrationKind::routine : MigrationKind::migration;
  row.version = result.text(i, 1);
  row.name = result.text(i, 2);
  row.revision = static_cast<int>(to_int(result.text(i, 3)));
  row.checksum = result.text(i, 4);
  row.state = row_state(result.text(i, 5));
  return row;
}

}  // namespace

std::int64_t History::lock_key() {
  const pq::Result result = m_conn.exec_params(
      "SELECT coalesce(n.nspname, $1::name, pg_catalog.current_schema()), "
      "coalesce(c.relname, $2::name) FROM (SELECT) AS one "
      "LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass($3) "
      "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace",
      {m_table.schema().empty() ? std::nullopt : std::optional<std::string>{m_table.schema()},
       m_table.table(), m_table.quoted()});
  const std::string schema{result.text(0, 0)};
  // `public` is left out so the default table keeps the key that older strata versions take for
  // it: during a rolling upgrade they still exclude each other.
  return stable_hash("strata:" + (schema == "public" ? "" : quote_identifier(schema) + ".") +
                     quote_identifier(result.text(0, 1)));
}

bool History::exists() {
  // Once found, m_target is the schema-qualified name: search_path may have changed since.
  const pq::Result result = m_conn.exec(
      "SELECT d.description, c.relnamespace::pg_catalog.regnamespace::text "
      "FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_description d "
      "ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.objsubid = 0 WHERE c.oid = pg_catalog.to_regclass(" +
      m_conn.quote_literal(m_target) + ")");
  if (result.rows() == 0)
    return false;
  const std::string_view comment = result.text(0, 0);
  if (!comment.starts_with(layout_comment)) {
    throw Error("history table " + m_table.quoted() +
                " exists but is not a strata history table (its comment does not name a strata "
                "layout); choose another table name");
  }
  m_layout = static_cast<int>(to_int(comment.substr(layout_comment.size())));
  // Writes name the schema the table was found in, so a migration that changes search_path
  // (SET, not SET LOCAL) cannot send the history INSERT after it to another table.
  m_target = std::string{result.text(0, 1)} + "." + m_conn.quote_identifier(m_table.table());
  if (m_layout > history_layout || m_layout < 1) {
    throw Error("history table " + m_table.quoted() + " was written by a newer strata (layout " +
                std::to_string(m_layout) + "; this strata reads layouts up to " +
                std::to_string(history_layout) + "): upgrade strata");
  }
  return true;
}

std::vector<HistoryRow> History::rows() {
  // Layout 1 columns only: every later layout keeps them, so this read stays valid. A NULL
  // reads as "" (libpq), so no coalesce is needed.
  const pq::Result result = m_conn.exec(
      "SELECT " + std::string{identity_columns} +
      ", id, run, down_sql IS NOT NULL, to_json(applied_at) #>> '{}', applied_by, execution_ms, "
      "statements_done, failed_statement, error, " +
      (m_layout >= 2 ? "adopted_from" : "NULL") + " FROM " + m_target + " ORDER BY id");
  std::vector<HistoryRow> rows;
  rows.reserve(static_cast<std::size_t>(result.rows()));
  for (int i = 0; i < result.rows(); ++i) {
    HistoryRow row = identity_row(result, i);
    row.id = to_int(result.text(i, 6));
    row.run = to_int(result.text(i, 7));
    row.has_down = result.text(i, 8) == "t";
    row.applied_at = result.text(i, 9);
    row.applied_by = result.text(i, 10);
    if (!result.is_null(i, 11))
      row.execution_ms = to_int(result.text(i, 11));
    row.statements_done = static_cast<int>(to_int(result.text(i, 12)));
    row.failed_statement = result.text(i, 13);
    row.error = result.text(i, 14);
    row.rollback = row.state != RowState::applied && row.error.starts_with(rollback_marker);
    row.adopted_from = result.text(i, 15);
    rows.push_back(std::move(row));
  }
  return rows;
}

HistorySnapshot History::snapshot() {
  HistorySnapshot snapshot;
  snapshot.found = exists();
  if (snapshot.found)
    snapshot.rows = rows();
  snapshot.layout = m_layout;
  snapshot.target = m_target;
  return snapshot;
}

void History::assume(const HistorySnapshot& snapshot) {
  if (!snapshot.found)
    return;
  m_layout = snapshot.layout;
  m_target = snapshot.target;
}

History::QuickRead History::quick_read() {
  QuickRead read;
  if (m_conn.in_transaction())
    return read;  // a failing SELECT would abort the caller's transaction: take the careful path
  try {
    const pq::Result result =
        m_conn.exec("SELECT " + std::string{identity_columns} + " FROM " + m_target);
    read.rows.reserve(static_cast<std::size_t>(result.rows()));
    for (int i = 0; i < result.rows(); ++i)
      read.rows.push_back(identity_row(result, i));
    read.ok = true;
  } catch (const SqlError& error) {
    read.missing = error.sqlstate() == "42P01";  // undefined_table
  }
  return read;
}

void History::create_or_upgrade(bool found) {
  if (found) {
    // One step per layout, each in one transaction; an older strata then refuses the table.
    if (m_layout < 2) {
      (void)m_conn.exec("BEGIN;\nALTER TABLE " + m_target + " ADD COLUMN adopted_from text;\n" +
                        "COMMENT ON TABLE " + m_target + " IS " +
                        m_conn.quote_literal(std::string{layout_comment} + "2") + ";\nCOMMIT;");
      m_layout = 2;
    }
    return;
  }
  (void)m_conn.exec(create_sql());
  (void)exists();  // resolves the schema it was created in
}

std::string History::create_sql() const {
  const std::string& t = m_table.quoted();
  std::string sql = "BEGIN;\n";
  if (!m_table.schema().empty()) {
    sql += "CREATE SCHEMA IF NOT EXISTS " + m_conn.quote_identifier(m_table.schema()) + ";\n";
  }
  sql += "CREATE TABLE " + t +
         " (\n"
         "  id bigserial PRIMARY KEY,\n"
         "  run bigint NOT NULL,\n"
         "  kind text NOT NULL CHECK (kind IN ('migration', 'routine')),\n"
         "  version text,\n"
         "  name text NOT NULL,\n"
         "  revision integer NOT NULL DEFAULT 0,\n"
         "  checksum text NOT NULL,\n"
         "  state text NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'running', "
         "'failed')),\n"
         "  up_sql text,\n"
         "  down_sql text,\n"
         "  down_in_transaction boolean NOT NULL DEFAULT true,\n"
         "  down_statements integer[],\n"
         "  down_path text,\n"
         "  down_first_line integer NOT NULL DEFAULT 1,\n"
         "  applied_at timestamptz NOT NULL DEFAULT now(),\n"
         "  applied_by text NOT NULL DEFAULT current_user,\n"
         "  execution_ms bigint,\n"
         "  statements_done integer NOT NULL DEFAULT 0,\n"
         "  failed_statement text,\n"
         "  error text,\n"
         "  adopted_from text\n"
         ");\n"
         // Unnamed: the server picks index names that collide with nothing. Names derived from
         // the table's would truncate onto the table's own name at 62-63 characters.
         "CREATE UNIQUE INDEX ON " +
         t + " (version) WHERE kind = 'migration';\n" + "CREATE UNIQUE INDEX ON " + t +
         " (name, revision) WHERE kind = 'routine';\n" + "COMMENT ON TABLE " + t + " IS " +
         m_conn.quote_literal(std::string{layout_comment} + std::to_string(history_layout)) +
         ";\nCOMMIT;";
  return sql;
}

std::string History::resolved_sql(std::int64_t id) const {
  return "UPDATE " + m_target +
         " SET state = 'applied', failed_statement = NULL, error = NULL WHERE id = " +
         std::to_string(id);
}

std::vector<StoredDown> History::stored_downs(const std::vector<std::int64_t>& ids) {
  std::string list;
  for (const std::int64_t id : ids) {
    if (!list.empty())
      list += ',';
    list += std::to_string(id);  // not `"," + to_string()`: GCC 12 -O3 -Wrestrict false alarm
  }
  const pq::Result result = m_conn.exec(
      "SELECT id, down_sql, down_in_transaction, coalesce(down_statements::text, ''), "
      "coalesce(down_path, ''), down_first_line FROM " +
      m_target + " WHERE id IN (" + (list.empty() ? "NULL" : list) + ")");
  std::vector<StoredDown> downs;
  for (int i = 0; i < result.rows(); ++i) {
    StoredDown down;
    down.id = to_int(result.text(i, 0));
    down.sql = result.text(i, 1);
    down.in_transaction = result.text(i, 2) == "t";
    down.statements = parse_statements(result.text(i, 3));
    down.path = result.text(i, 4);
    down.first_line = static_cast<std::uint32_t>(to_int(result.text(i, 5)));
    downs.push_back(std::move(down));
  }
  return downs;
}

std::string History::stored_text(std::string_view sql) const {
  // The server maps an error inside a function body back to the statement only when the body's
  // text occurs once in the string sent (match_prosrc_to_query); a copy of it in a history literal
  // would cost the error its position. So SQL that may hold a body travels base64-encoded.
  if (sql.find('$') == std::string_view::npos && sql.find("FUNCTION") == std::string_view::npos &&
      sql.find("function") == std::string_view::npos) {
    return literal(sql);
  }
  return "convert_from(decode('" + base64(sql) + "', 'base64'), 'UTF8')";
}

std::string History::insert_sql(const Migration& migration, std::int64_t run, int revision,
                                std::string_view state, std::string_view adopted_from) const {
  const bool routine = migration.kind == MigrationKind::routine;
  const Section& down = migration.down;
  const std::string name = literal(migration.name);
  std::string restore = down.present() ? stored_text(down.sql) : "NULL";
  if (routine && revision > 1) {
    restore = "(SELECT up_sql FROM " + m_target + " WHERE kind = 'routine' AND name = " + name +
              " AND revision = " + std::to_string(revision - 1) + ")";
  }
  const bool down_statements = down.present() && !(routine && revision > 1);
  // execution_ms: the server's time since the transaction began, so a one-round-trip migration
  // still records how long its SQL ran.
  return "INSERT INTO " + m_target +
         " (run, kind, version, name, revision, checksum, state, up_sql, down_sql, "
         "down_in_transaction, down_statements, down_path, down_first_line, execution_ms" +
         (adopted_from.empty() ? "" : ", adopted_from") +
         ") "
         "VALUES (" +
         std::to_string(run) + ", " + (routine ? "'routine', NULL" : "'migration', ") +
         (routine ? "" : literal(migration.version)) + ", " + name + ", " +
         std::to_string(revision) + ", " + literal(migration.checksum) + ", " + literal(state) +
         ", " + (routine ? stored_text(migration.up.sql) : "NULL") + ", " + restore + ", " +
         (down.present() && !down.in_transaction && down_statements ? "false" : "true") + ", " +
         (down_statements ? statements_literal(down.statements) : "NULL") + ", " +
         (down.present() ? literal(down.path) : "NULL") + ", " +
         std::to_string(down.present() ? down.first_line : 1) +
         (adopted_from.empty() ? ", (date_part('epoch', clock_timestamp() - now()) * 1000)::bigint)"
                               : ", NULL, " + literal(adopted_from) + ")");
}

std::string History::delete_sql(std::int64_t id) const {
  return "DELETE FROM " + m_target + " WHERE id = " + std::to_string(id);
}

std::string History::progress_sql(std::string_view version, int done) const {
  return "UPDATE " + m_target + " SET statements_done = " + std::to_string(done) +
         " WHERE kind = 'migration' AND version = " + literal(version);
}

std::string History::rollback_started_sql(std::int64_t id) const {
  return "UPDATE " + m_target + " SET state = 'running', statements_done = 0, error = " +
         literal(std::string{rollback_marker} + "under way") + " WHERE id = " + std::to_string(id);
}

std::string History::failed_sql(std::string_view version, int done, std::string_view statement,
                                std::string_view error) const {
  return "UPDATE " + m_target + " SET state = 'failed', statements_done = " + std::to_string(done) +
         ", failed_statement = " + literal(statement) + ", error = " + literal(error) +
         " WHERE kind = 'migration' AND version = " + literal(version);
}

std::string History::finished_sql(std::string_view version) const {
  return "UPDATE " + m_target +
         " SET state = 'applied', execution_ms = (date_part('epoch', clock_timestamp() - "
         "applied_at) * 1000)::bigint, failed_statement = NULL, error = NULL WHERE kind = "
         "'migration' AND version = " +
         literal(version);
}

}  // namespace strata::detail
