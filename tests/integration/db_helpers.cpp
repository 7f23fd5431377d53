// Schema snapshots and history reads for the runtime's db tests.
#include "integration/db_helpers.hpp"

namespace strata::test {

std::string scalar(pq::Connection& conn, const std::string& sql) {
  const pq::Result result = conn.exec(sql);
  return result.rows() == 0 ? "" : std::string{result.text(0, 0)};
}

std::string schema_snapshot(pq::Connection& conn) {
  return scalar(conn,
                "SELECT coalesce(string_agg(line, E'\\n' ORDER BY line), '') FROM ("
                "  SELECT format('column %s.%s %s %s %s', table_name, column_name, data_type, "
                "                is_nullable, column_default) AS line"
                "  FROM information_schema.columns WHERE table_schema = 'public' "
                "  AND table_name <> 'strata_migrations'"
                "  UNION ALL SELECT 'index ' || indexdef FROM pg_indexes"
                "  WHERE schemaname = 'public' AND tablename <> 'strata_migrations'"
                "  UNION ALL SELECT 'function ' || pg_get_functiondef(p.oid) FROM pg_proc p"
                "  WHERE p.pronamespace = 'public'::regnamespace"
                ") lines");
}

std::vector<std::string> history_rows(pq::Connection& conn, const std::string& table) {
  const pq::Result result = conn.exec(
      "SELECT kind || ' ' || coalesce(version, '-') || ' ' || name || ' ' || revision "
      "|| ' ' || state FROM " +
      table + " ORDER BY id");
  std::vector<std::string> rows;
  rows.reserve(static_cast<std::size_t>(result.rows()));
  for (int i = 0; i < result.rows(); ++i)
    rows.emplace_back(result.text(i, 0));
  return rows;
}

}  // namespace strata::test
