// The schema file of `dump` and `load`: pg_dump's output made deterministic, the applied
// migrations appended as dbmate appends its versions, and the restore into an empty database.
#include "schema_dump.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <strata/error.hpp>

#include "commands.hpp"
#include "conninfo.hpp"
#include "pq/connection.hpp"

namespace strata::cli {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw ConfigurationError("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << text;
  if (!out)
    throw Error("cannot write " + path.string());
}

// The columns that say what is applied. When and by whom (id, applied_at, applied_by,
// execution_ms) are left to their defaults, so two databases with the same history dump the same.
constexpr std::string_view k_history_columns =
    "run, kind, version, name, revision, checksum, state, up_sql, down_sql, down_in_transaction, "
    "down_statements, down_path, down_first_line";

// Relations and functions outside the system schemas: what makes a database not empty.
constexpr std::string_view k_count_objects =
    "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%') "
    "+ (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%')";

}  // namespace

std::string deterministic_dump(std::string_view pg_dump_output) {
  std::string out;
  out.reserve(pg_dump_output.size());
  while (!pg_dump_output.empty()) {
    const std::size_t end = pg_dump_output.find('\n');
    const std::string_view line =
        pg_dump_output.substr(0, end == std::string_view::npos ? pg_dump_output.size() : end + 1);
    pg_dump_output.remove_prefix(line.size());
    // pg_dump 15.14+/16.10+/17.6+ fence the script with a random key: `\restrict <key>`.
    if (line.starts_with("\\restrict ") || line.starts_with("\\unrestrict "))
      continue;
    out += line;
  }
  return out;
}

std::string applied_migrations_sql(pq::Connection& connection, const std::string& history_table) {
  const pq::Result found = connection.exec_params(
      "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)",
      {history_table});
  if (found.rows() == 0)
    return {};
  const std::string qualified{found.text(0, 0)};  // quoted only where needed, as pg_dump does
  const pq::Result rows = connection.exec("SELECT " + std::string{k_history_columns} + " FROM " +
                                          qualified + " ORDER BY id");
  if (rows.rows() == 0)
    return {};
  std::string sql = "\n--\n-- strata: the applied migrations\n--\n\nINSERT INTO " + qualified +
                    " (" + std::string{k_history_columns} + ") VALUES\n";
  for (int row = 0; row < rows.rows(); ++row) {
    sql += "    (";
    for (int column = 0; column < rows.columns(); ++column) {
      if (column != 0)
        sql += ", ";
      sql += rows.is_null(row, column) ? std::string{"NULL"}
                                       : connection.quote_literal(rows.text(row, column));
    }
    sql += row + 1 == rows.rows() ? ");\n" : "),\n";
  }
  return sql;
}

void finish_schema_dump(Context& context, const std::filesystem::path& path) {
  std::string text = deterministic_dump(read_file(path));
  pq::Connection connection{context.conninfo(), "strata"};
  text += applied_migrations_sql(connection, context.invocation().table);
  write_file(path, text);
}

std::string schema_snapshot(Context& context, const std::string& conninfo) {
  std::string path_template =
      (std::filesystem::temp_directory_path() / "strata-snapshot-XXXXXX").string();
  const int fd = ::mkstemp(path_template.data());
  if (fd < 0)
    throw Error("replay: cannot create a temporary file: " + std::string{std::strerror(errno)});
  ::close(fd);
  const std::filesystem::path file{path_template};
  try {
    run_pg_dump(context, conninfo, file);
  } catch (...) {
    std::filesystem::remove(file);
    throw;
  }
  std::string text = deterministic_dump(read_file(file));
  std::filesystem::remove(file);
  return text;
}

void write_text_file(const std::filesystem::path& path, std::string_view text) {
  if (path.has_parent_path())
    std::filesystem::create_directories(path.parent_path());
  const std::filesystem::path partial = path.string() + ".partial";
  write_file(partial, text);
  std::filesystem::rename(partial, path);
}

bool check_schema_snapshot(Context& context, const std::filesystem::path& path,
                           std::string_view text) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream committed_text;
  if (in)
    committed_text << in.rdbuf();
  const std::string committed = in ? committed_text.str() : std::string{};
  if (in && committed == text)
    return true;
  Output& output = context.output();
  // The first line that differs, 1-based, in both texts.
  std::size_t line = 1;
  std::size_t at = 0;
  while (at < committed.size() && at < text.size() && committed[at] == text[at]) {
    if (committed[at] == '\n')
      ++line;
    ++at;
  }
  const auto line_at = [&](std::string_view whole) {
    std::size_t start = std::min(at, whole.size());
    start = whole.rfind('\n', start == 0 ? 0 : start - 1);
    start = start == std::string_view::npos || at == 0 ? 0 : start + 1;
    const std::size_t end = whole.find('\n', start);
    return start >= whole.size() ? std::string{"(end of file)"}
                                 : std::string{whole.substr(start, end - start)};
  };
  output.diagnostic(
      path.string() + ":" + std::to_string(line) + ":1: error: " +
      (in ? "the schema snapshot is out of date" : "the schema snapshot does not exist"));
  if (in) {
    output.diagnostic("  committed: " + line_at(committed));
    output.diagnostic("  replayed:  " + line_at(text));
  }
  std::string command = context.program() + " replay";
  for (const auto& [name, values] : context.invocation().host_values) {
    for (const std::string& value : values)
      command += " --" + name + (value == "1" && name != "migrations-dir" ? "" : " " + value);
  }
  if (context.invocation().table != default_history_table)
    command += " --table " + context.invocation().table;
  output.diagnostic("  update it: " + command + " --write-schema " + path.string());
  return false;
}

int load_command(Context& context) {
  const std::filesystem::path file{context.invocation().file};
  const std::string script = deterministic_dump(read_file(file));
  const ConninfoParts parts = parse_conninfo(context.conninfo());
  std::optional<pq::Connection> connection;
  try {
    connection.emplace(context.conninfo(), "strata");
  } catch (const ConnectionError&) {
    if (!create_missing_database(context))
      throw;
    connection.emplace(context.conninfo(), "strata");
  }
  if (connection->exec(k_count_objects).text(0, 0) != "0") {
    throw ConfigurationError("load: database \"" + parts.database +
                             "\" is not empty; load restores a schema file into an empty "
                             "database (run `strata drop` and `strata create` first)");
  }
  context.output().note("loading " + file.string() + " into " + context.redacted());
  // One simple-query round trip: one implicit transaction, so a failure leaves the database empty.
  static_cast<void>(connection->exec(script));
  context.output().progress("Loaded " + file.string() + " into \"" + parts.database + "\"");
  return exit_ok;
}

}  // namespace strata::cli
