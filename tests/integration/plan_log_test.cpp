// What up() sends, as the server saw it: its log, read back, against what up_sql() (and so
// `strata plan`) said beforehand.
//
// The Migrator runs on a session with log_statement = all; the server log of the pg-cluster
// fixture is read through pg_read_file as the superuser the tests connect as. Every other test
// writes to the same log, so only the lines of that session's backend pid count.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <strata/migrator.hpp>

#include <catch2/catch.hpp>

#include "integration/db_helpers.hpp"
#include "integration/test_set.hpp"
#include "pq/connection.hpp"
#include "support/database.hpp"

using strata::test::scalar;

namespace {

// `url` with every statement of its sessions written to the server log.
std::string logging_statements(const std::string& url) {
  if (url.find("://") == std::string::npos)
    return url + " options='-c log_statement=all'";
  return url + (url.find('?') == std::string::npos ? "?" : "&") +
         "options=-c%20log_statement%3Dall";
}

// The server's log file, as pg_read_file takes it. Without a logging collector (the pg-cluster
// fixture's case) the server writes to the stderr that `pg_ctl -l` gave it: server.log beside the
// data folder.
std::string log_file(strata::pq::Connection& admin) {
  const std::string collected = scalar(admin, "SELECT pg_current_logfile()");
  if (!collected.empty())
    return collected;
  return scalar(admin, "SELECT current_setting('data_directory') || '/../server.log'");
}

std::int64_t log_size(strata::pq::Connection& admin, const std::string& file) {
  return std::stoll(scalar(admin, "SELECT (pg_stat_file(" + admin.quote_literal(file) + ")).size"));
}

// The statements backend `pid` logged under log_statement = all in `log`, in order: simple
// queries (`LOG:  statement: <sql>`) and the extended protocol's executes (`LOG:  execute <name>:
// <sql>`). A message's continuation lines start with a tab, which the server adds after each of
// its line breaks.
std::vector<std::string> logged_statements(std::string_view log, int pid) {
  const std::string marker = " [" + std::to_string(pid) + "] LOG:  ";
  std::vector<std::string> out;
  bool collecting = false;
  while (!log.empty()) {
    const std::size_t end = log.find('\n');
    const std::string_view line = log.substr(0, end);
    log = end == std::string_view::npos ? std::string_view{} : log.substr(end + 1);
    if (line.starts_with('\t')) {
      if (collecting)
        out.back().append("\n").append(line.substr(1));
      continue;
    }
    collecting = false;
    const std::size_t at = line.find(marker);
    if (at == std::string_view::npos)
      continue;
    std::string_view message = line.substr(at + marker.size());
    if (message.starts_with("statement: ")) {
      message.remove_prefix(std::string_view{"statement: "}.size());
    } else if (message.starts_with("execute ") && message.find(": ") != std::string_view::npos) {
      message.remove_prefix(message.find(": ") + 2);
    } else {
      continue;
    }
    out.emplace_back(message);
    collecting = true;
  }
  return out;
}

}  // namespace

TEST_CASE("up() sends exactly the round trips up_sql() promised, as the server logs them",
          "[db][migrator]") {
  strata::test::TempDatabase db;
  strata::pq::Connection admin{db.url()};
  strata::test::SetBuilder builder;
  builder.migration("1", "items", "CREATE TABLE items (id int, name text);");
  {
    strata::Migrator first{db.url(), builder.set()};
    (void)first.up();  // the history table exists: the run below is only migrations and routines
  }
  builder
      .migration("2", "notes",
                 "ALTER TABLE items ADD COLUMN note text;\nINSERT INTO items VALUES (1, 'a', 'b');")
      .migration("3", "indexes",
                 "CREATE INDEX CONCURRENTLY items_name ON items (name);\n"
                 "CREATE INDEX CONCURRENTLY items_note ON items (note)",
                 std::nullopt, false)
      .routine("item_count",
               "CREATE OR REPLACE FUNCTION item_count() RETURNS bigint LANGUAGE sql\n"
               "AS $$ SELECT count(*) FROM items $$;",
               "DROP FUNCTION IF EXISTS item_count();");
  strata::MigratorOptions options;
  options.statement_timeout = std::chrono::seconds{60};  // session settings around migration 3

  strata::pq::Connection logged{logging_statements(db.url())};
  strata::Migrator migrator{strata::BorrowedConnection{logged.native()}, builder.set(), options};
  const std::vector<std::string> promised = migrator.up_sql();
  REQUIRE(promised.size() >= 3);

  const std::string file = log_file(admin);
  const std::int64_t before = log_size(admin, file);
  (void)migrator.up();
  const std::int64_t after = log_size(admin, file);
  const std::vector<std::string> sent = logged_statements(
      scalar(admin, "SELECT pg_read_file(" + admin.quote_literal(file) + ", " +
                        std::to_string(before) + ", " + std::to_string(after - before) + ")"),
      PQbackendPID(logged.native()));

  // The promised round trips, one after the other, with nothing between them; around them only
  // the reads and the lock, which up_sql() leaves out (they change nothing).
  const auto first = std::find(sent.begin(), sent.end(), promised.front());
  REQUIRE(first != sent.end());
  REQUIRE(sent.end() - first >= static_cast<std::ptrdiff_t>(promised.size()));
  const std::vector<std::string> run{first, first + static_cast<std::ptrdiff_t>(promised.size())};
  CHECK(run == promised);
  for (auto it = sent.begin(); it != sent.end(); ++it) {
    if (it < first || it >= first + static_cast<std::ptrdiff_t>(promised.size())) {
      INFO("sent besides the promised round trips: " << *it);
      CHECK(it->starts_with("SELECT "));
    }
  }
  CHECK(scalar(admin, "SELECT item_count()") == "1");
  // Under the lock the history table's catalog entry is looked up once: whether it exists
  // decides both the refusal of a database another tool migrated and the table's creation.
  CHECK(std::count_if(sent.begin(), sent.end(), [](const std::string& statement) {
          return statement.find("pg_catalog.pg_description") != std::string::npos;
        }) == 1);
}
