// A history table's name as the user configures it (`--table`, `STRATA_TABLE`, add_migrations()'s
// TABLE): parsed as SQL reads a qualified name. Needs no connection, so `strata generate` checks a
// compiled-in name with the same rules the runtime applies.
#pragma once

#include <string>
#include <string_view>

namespace strata::detail {

// A history table name as configured ("strata_migrations", "migration.history", "\"My\".t").
class HistoryTable {
 public:
  // Parses `configured`: one or two dot-separated parts; a part in double quotes is taken as
  // written ("" for a quote), an unquoted part is folded to lower case as SQL does.
  // Throws ConfigurationError for an empty part, a third part, or an unterminated quote.
  explicit HistoryTable(std::string_view configured);

  [[nodiscard]] const std::string& schema() const noexcept { return m_schema; }  // may be empty
  [[nodiscard]] const std::string& table() const noexcept { return m_table; }
  // schema.table (or table) with both parts quoted for SQL, e.g. "migration"."history".
  [[nodiscard]] const std::string& quoted() const noexcept { return m_quoted; }

 private:
  std::string m_schema;
  std::string m_table;
  std::string m_quoted;
};

}  // namespace strata::detail
