#include "pq/connection.hpp"

#include <catch2/catch.hpp>

#include "support/database.hpp"

using strata::pq::Connection;

TEST_CASE("A query round-trips through a real server", "[db][pq]") {
  strata::test::TempDatabase db;
  Connection conn{db.url()};
  const auto result =
      conn.exec_params("SELECT $1::int + 1, $2::text IS NULL", {"41", std::nullopt});
  REQUIRE(result.rows() == 1);
  CHECK(result.text(0, 0) == "42");
  CHECK(result.text(0, 1) == "t");
}

TEST_CASE("A server error carries its SQLSTATE, message and position", "[db][pq]") {
  strata::test::TempDatabase db;
  Connection conn{db.url()};
  try {
    (void)conn.exec("SELECT 1;\nSELECT * FROM no_such_table");
    FAIL("the query should have failed");
  } catch (const strata::SqlError& error) {
    CHECK(error.sqlstate() == "42P01");
    CHECK(error.fields().message == "relation \"no_such_table\" does not exist");
    CHECK(error.fields().position == 25);
    CHECK(error.fields().connection_usable);
  }
  CHECK(conn.exec("SELECT 1").rows() == 1);  // still usable after the error
}

TEST_CASE("Notices reach the handler instead of stderr", "[db][pq]") {
  strata::test::TempDatabase db;
  Connection conn{db.url()};
  std::vector<std::string> notices;
  conn.on_notice([&](const strata::pq::Notice& notice) { notices.push_back(notice.message); });
  (void)conn.exec("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$");
  REQUIRE(notices == std::vector<std::string>{"hello 42"});
}

TEST_CASE("A failed connection names the server without the password", "[db][pq]") {
  const std::string url = strata::test::with_database(strata::test::cluster_url(), "no_such_db");
  std::string with_password = url;
  with_password.replace(with_password.find("postgres@"), 9, "postgres:hunter2@");
  REQUIRE_THROWS_AS(Connection{with_password}, strata::ConnectionError);
  try {
    Connection conn{with_password};
  } catch (const strata::ConnectionError& error) {
    const std::string message = error.what();
    CHECK(message.find("hunter2") == std::string::npos);
    CHECK(message.find("no_such_db") != std::string::npos);
  }
}
