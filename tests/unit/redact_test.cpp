#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "pq/connection.hpp"

using strata::pq::redact;

namespace {

// libpq's parse of `conninfo` as keyword → value.
std::map<std::string, std::string> parsed(const std::string& conninfo) {
  std::string error;
  const strata::pq::ConninfoOptions options = strata::pq::parse_conninfo_options(conninfo, error);
  REQUIRE(options);
  std::map<std::string, std::string> out;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val != nullptr)
      out[option->keyword] = option->val;
  }
  return out;
}

}  // namespace

TEST_CASE("A URL's password is replaced by stars wherever it is written", "[redact]") {
  CHECK(redact("postgresql://app:s3cret@db.example:5432/app") ==
        "postgresql://app:***@db.example:5432/app");
  CHECK(redact("postgres://app:p%40ss@db/app?sslmode=require&password=other") ==
        "postgres://app:***@db/app?sslmode=require");
  CHECK(redact("postgresql://app@db/app") == "postgresql://app@db/app");
}

TEST_CASE("A redacted string means what the original meant, with every secret as stars",
          "[redact]") {
  for (const std::string conninfo : {
           "postgres://postgres:x?z@host/db",
           "postgresql://h/db?%70assword=xyz",
           "postgresql://u:pw@h/db?sslpassword=kk&application_name=a%20b",
           "postgresql://h1,h2:5433/db?connect_timeout=3",
           "postgresql://u@[::1]:5432,other:6543/d%2Fb",
           "postgresql://%2Fvar%2Frun%2Fpostgresql/db?password=abc",
           "host=db user=app password='s3 cret' sslpassword=x dbname=app",
           "host=db dbname='postgresql://u:nested@h/x'",
       }) {
    INFO(conninfo);
    const std::string redacted = redact(conninfo);
    INFO(redacted);
    std::map<std::string, std::string> expected = parsed(conninfo);
    for (const char* secret : {"password", "sslpassword"}) {
      if (expected.contains(secret))
        expected[secret] = "***";
    }
    std::map<std::string, std::string> actual = parsed(redacted);
    if (expected.contains("dbname") && expected["dbname"].find("nested") != std::string::npos) {
      CHECK(actual["dbname"] == "postgresql://u:***@h/x");
      actual.erase("dbname");
      expected.erase("dbname");
    }
    CHECK(actual == expected);
    for (const char* secret : {"x?z", "xyz", "pw", "kk", "abc", "s3", "nested"}) {
      if (std::string{conninfo}.find(secret) != std::string::npos)
        CHECK(redacted.find(secret) == std::string::npos);
    }
  }
}

TEST_CASE("A key=value string keeps its settings and hides the password", "[redact]") {
  const std::string redacted = redact("host=db user=app password='s3 cret' dbname=app");
  CHECK(redacted.find("s3") == std::string::npos);
  CHECK(redacted.find("password=***") != std::string::npos);
  CHECK(redacted.find("host=db") != std::string::npos);
}

TEST_CASE("A string libpq cannot parse is never echoed", "[redact]") {
  CHECK(redact("host=db password='unterminated") == "<unparsable connection string>");
  CHECK(redact("postgresql://u:ab%zz@h/db") == "<unparsable connection string>");
}

TEST_CASE("libpq's parse errors lose the fragments of the string they quote", "[redact]") {
  for (const std::string conninfo :
       {"postgresql://u:ab%zz@h/db", "postgresql://u:secret@[::1/db", "host=h secret"}) {
    std::string error;
    CHECK_FALSE(strata::pq::parse_conninfo_options(conninfo, error));
    INFO(error);
    CHECK_FALSE(error.empty());
    CHECK(error.find("ab%zz") == std::string::npos);
    CHECK(error.find("secret") == std::string::npos);
  }
  std::string error;
  CHECK_FALSE(strata::pq::parse_conninfo_options("postgresql://h/db?bogus=1", error));
  CHECK(error == "invalid URI query parameter: \"(not shown)\"");
}
