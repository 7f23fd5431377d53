// The schema file that `dump` writes and `load` restores (dbmate's schema.sql): pg_dump's
// --schema-only output made deterministic, plus the applied migrations. The pieces are separate so
// that other schema snapshots (a build-time replay) can reuse them.
#pragma once

#include <string>
#include <string_view>

namespace strata::pq {
class Connection;
}

namespace strata::cli {

// pg_dump's output without the lines that change on every run (the random `\restrict KEY` /
// `\unrestrict KEY` fence of pg_dump 15.14+): the same schema gives the same bytes.
[[nodiscard]] std::string deterministic_dump(std::string_view pg_dump_output);

// An INSERT of every history row into `history_table` (as the user names it: `strata_migrations`,
// `migration.history`), schema-qualified, oldest first, with the columns that say what is applied
// (not when or by whom); "" when the table does not exist or is empty. Throws SqlError.
[[nodiscard]] std::string applied_migrations_sql(pq::Connection& connection,
                                                 const std::string& history_table);

}  // namespace strata::cli
