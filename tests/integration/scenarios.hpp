// Migration sets shared by the tests and the child process they spawn (migrate_child), so both
// sides embed exactly the same migrations, as copies of one binary would.
#pragma once

#include <string_view>

#include "integration/test_set.hpp"

namespace strata::test {

// "basic": three migrations (table + index, add column, plpgsql function), each with a down.
// "concurrent_index": a table with rows, then CREATE INDEX CONCURRENTLY twice in a
//   transaction:false migration, then a third migration.
// "sleep": a table, then a migration that creates a table, sleeps 2 s in pg_sleep, and inserts.
// "sleep_no_transaction": the same sleep inside a transaction:false migration, between two
//   CREATE INDEX CONCURRENTLY.
// "sleep_in_down": one transaction:false migration creating x1 and x2, whose down drops x1,
//   sleeps 2 s in pg_sleep, then drops x2.
// Throws std::invalid_argument for another name.
void add_scenario(SetBuilder& builder, std::string_view name);

}  // namespace strata::test
