#include <catch2/catch.hpp>

#include "pq/connection.hpp"

using strata::pq::redact;

TEST_CASE("A URL's password is replaced by stars wherever it is written", "[redact]") {
  CHECK(redact("postgresql://app:s3cret@db.example:5432/app") ==
        "postgresql://app:***@db.example:5432/app");
  CHECK(redact("postgres://app:p%40ss@db/app?sslmode=require&password=other") ==
        "postgres://app:***@db/app?sslmode=require&password=***");
  CHECK(redact("postgresql://app@db/app") == "postgresql://app@db/app");
}

TEST_CASE("A key=value string keeps its settings and hides the password", "[redact]") {
  const std::string redacted = redact("host=db user=app password='s3 cret' dbname=app");
  CHECK(redacted.find("s3") == std::string::npos);
  CHECK(redacted.find("password=***") != std::string::npos);
  CHECK(redacted.find("host=db") != std::string::npos);
}

TEST_CASE("A string libpq cannot parse is never echoed", "[redact]") {
  CHECK(redact("host=db password='unterminated") == "<unparsable connection string>");
}
