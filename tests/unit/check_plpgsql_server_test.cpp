// The PL/pgSQL fixtures against the real PostgreSQL (check_function_bodies on, the default): every
// file of fixtures/plpgsql/accepted is applied, in order, and each file of
// fixtures/plpgsql/rejected is refused with the message and at the line and column its first line
// states, the ones check_plpgsql_test asserts strata reports.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <libpq-fe.h>

#include "support/database.hpp"

namespace {
const std::filesystem::path fixtures =
    std::filesystem::path{STRATA_SOURCE_DIR} / "tests/unit/fixtures/plpgsql";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

struct Outcome {
  bool ok = false;
  std::string message;
  std::size_t position = 0;  // 1-based character in the text sent; 0 = none
};

class Session {
 public:
  explicit Session(const std::string& url) : m_connection{PQconnectdb(url.c_str()), &PQfinish} {
    REQUIRE(PQstatus(m_connection.get()) == CONNECTION_OK);
  }
  // Runs `sql` (any number of statements: one implicit transaction).
  Outcome run(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> result{PQexec(m_connection.get(), sql.c_str()),
                                                         &PQclear};
    Outcome outcome;
    outcome.ok = PQresultStatus(result.get()) == PGRES_COMMAND_OK ||
                 PQresultStatus(result.get()) == PGRES_TUPLES_OK;
    if (!outcome.ok) {
      const char* message = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY);
      const char* position = PQresultErrorField(result.get(), PG_DIAG_STATEMENT_POSITION);
      outcome.message = message != nullptr ? message : "";
      outcome.position = position != nullptr ? std::stoul(position) : 0;
    }
    return outcome;
  }

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> m_connection;
};

// 1-based line and column of the 1-based character `position` of `text` (ASCII fixtures).
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t position) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i + 1 < position && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::set<std::filesystem::path> sql_files(const std::filesystem::path& folder) {
  std::set<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator{folder})
    files.insert(entry.path());
  return files;
}
}  // namespace

TEST_CASE("PostgreSQL applies every file of the valid PL/pgSQL folder", "[db][plpgsql]") {
  strata::test::TempDatabase database;
  Session session{database.url()};
  const auto files = sql_files(fixtures / "accepted");
  CHECK(files.size() == 10);
  for (const auto& file : files) {
    INFO(file.filename().string());
    const Outcome outcome = session.run(read_text(file));
    INFO(outcome.message);
    CHECK(outcome.ok);
  }
  // And the functions run, so the cases are not only syntax.
  CHECK(session.run("INSERT INTO item VALUES (1, 'a', NULL), (2, 'b', NULL)").ok);
  CHECK(session.run("SELECT * FROM numbers_table(2)").ok);
  CHECK(session.run("SELECT * FROM numbers_out(2)").ok);
  CHECK(session.run("SELECT count_items(), bound_cursors(), fields(), twice(2), thrice(2)").ok);
  CHECK(session.run("UPDATE item SET name = 'c'").ok);
  CHECK(session.run("CALL batch_touch()").ok);
}

TEST_CASE("PostgreSQL refuses each typo of the PL/pgSQL folder where its first line says",
          "[db][plpgsql]") {
  strata::test::TempDatabase database;
  Session session{database.url()};
  REQUIRE(session.run(read_text(fixtures / "accepted/0001_tables.sql")).ok);
  const auto files = sql_files(fixtures / "rejected");
  CHECK(files.size() == 13);
  for (const auto& file : files) {
    INFO(file.filename().string());
    const std::string text = read_text(file);
    // -- rejected at <line>:<column>: <message>
    const std::string first = text.substr(0, text.find('\n'));
    const std::size_t colon = first.find(':');
    const std::size_t colon2 = first.find(':', colon + 1);
    const std::string message = first.substr(colon2 + 2);
    const Outcome outcome = session.run(text);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.message == message);
    if (outcome.position != 0) {
      const auto [line, column] = line_and_column(text, outcome.position);
      CHECK(std::to_string(line) + ':' + std::to_string(column) == first.substr(15, colon2 - 15));
    }
  }
}

TEST_CASE("PostgreSQL accepts the deep statements strata accepts and refuses 100,000 terms",
          "[db][depth]") {
  // The same statements as check_depth_test: a view of 2,500 UNION ALL branches and 1,500
  // terms pass on both; 100,000 terms is the server's "stack depth limit exceeded".
  const auto terms = [](std::size_t count) {
    std::string sql = "1";
    for (std::size_t i = 1; i < count; ++i)
      sql += "+1";
    return sql;
  };
  std::string view = "CREATE VIEW v AS SELECT 0 AS n";
  for (int i = 1; i < 2'500; ++i)
    view += " UNION ALL SELECT " + std::to_string(i);
  strata::test::TempDatabase database;
  Session session{database.url()};
  const Outcome created = session.run(view);
  INFO(created.message);
  CHECK(created.ok);
  CHECK(session.run("SELECT " + terms(1'500)).ok);
  const Outcome too_deep = session.run("SELECT " + terms(100'000));
  CHECK_FALSE(too_deep.ok);
  CHECK(too_deep.message == "stack depth limit exceeded");
}
