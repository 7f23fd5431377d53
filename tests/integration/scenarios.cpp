// The named migration sets of scenarios.hpp.
#include "integration/scenarios.hpp"

#include <stdexcept>
#include <string>

namespace strata::test {

void add_scenario(SetBuilder& builder, std::string_view name) {
  if (name == "basic") {
    builder
        .migration("20240101000001", "create_users",
                   "CREATE TABLE users (\n  id bigserial PRIMARY KEY,\n  email text NOT NULL\n);\n"
                   "CREATE UNIQUE INDEX users_email ON users (email);\n",
                   "DROP TABLE users;\n")
        .migration("20240101000002", "add_name", "ALTER TABLE users ADD COLUMN name text;\n",
                   "ALTER TABLE users DROP COLUMN name;\n")
        .migration("20240101000003", "count_users",
                   "CREATE FUNCTION count_users() RETURNS bigint LANGUAGE plpgsql AS $$\n"
                   "BEGIN\n  RETURN (SELECT count(*) FROM users);\nEND;\n$$;\n",
                   "DROP FUNCTION count_users();\n");
  } else if (name == "concurrent_index") {
    builder
        .migration("1", "create_events",
                   "CREATE TABLE events (id bigserial PRIMARY KEY, kind text, at timestamptz);\n"
                   "INSERT INTO events (kind, at) SELECT 'k' || (i % 10), now() FROM "
                   "generate_series(1, 2000) i;\n",
                   "DROP TABLE events;\n")
        .migration("2", "index_events",
                   "CREATE INDEX CONCURRENTLY events_kind ON events (kind);\n"
                   "CREATE INDEX CONCURRENTLY events_at ON events (at);\n",
                   "DROP INDEX CONCURRENTLY events_at;\nDROP INDEX CONCURRENTLY events_kind;\n",
                   false)
        .migration("3", "add_source", "ALTER TABLE events ADD COLUMN source text;\n",
                   "ALTER TABLE events DROP COLUMN source;\n");
  } else if (name == "sleep") {
    builder.migration("1", "create_before", "CREATE TABLE before_sleep (id int);\n")
        .migration("2", "sleepy",
                   "CREATE TABLE slept (id int);\nSELECT pg_sleep(2);\n"
                   "INSERT INTO slept VALUES (1);\n");
  } else if (name == "sleep_no_transaction") {
    builder.migration("1", "create_before", "CREATE TABLE before_sleep (id int);\n")
        .migration(
            "2", "sleepy",
            "CREATE INDEX CONCURRENTLY before_id ON before_sleep (id);\n"
            "SELECT pg_sleep(2);\nCREATE INDEX CONCURRENTLY before_id2 ON before_sleep (id);\n",
            std::nullopt, false);
  } else if (name == "sleep_in_down") {
    builder.migration("1", "two_tables", "CREATE TABLE x1 (id int);\nCREATE TABLE x2 (id int);\n",
                      "DROP TABLE x1;\nSELECT pg_sleep(2);\nDROP TABLE x2;\n", false);
  } else {
    throw std::invalid_argument("unknown scenario " + std::string{name});
  }
}

}  // namespace strata::test
