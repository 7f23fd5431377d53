#include <strata/version_order.hpp>

#include <catch2/catch.hpp>

namespace {
// -1, 0 or 1, so Catch2 can print both sides of a failed comparison.
int compare_versions(std::string_view a, std::string_view b) {
  const auto order = strata::compare_versions(a, b);
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}
}  // namespace

TEST_CASE("Plain versions compare as numbers, not as text", "[version]") {
  CHECK(compare_versions("2", "10") < 0);
  CHECK(compare_versions("0001", "1") == 0);
  CHECK(compare_versions("20240101000000", "20240101000001") < 0);
}

TEST_CASE("Timestamps of 14 digits or more compare as text, so Diesel's forms interleave by date",
          "[version]") {
  // As numbers the 18-digit form would sort after every 14-digit one; Diesel sorts by date.
  CHECK(compare_versions("2024-10-25-112826-0000", "2024-11-01-000000") < 0);
  CHECK(compare_versions("2024-10-25-112826-0000", "2024-10-24-000000") > 0);
  CHECK(compare_versions("2024-01-01-000000", "20240101000000") == 0);
}

TEST_CASE("Two dashed versions compare as Diesel compares them: text with dashes removed",
          "[version]") {
  CHECK(compare_versions("2020-12-7-190800", "2020-12-15-000000") > 0);
  CHECK(compare_versions("2023-05-23-1715", "2020-12-15-000000") > 0);
  CHECK(compare_versions("1-2", "100") < 0);  // one dashed: numbers (12 < 100), as before
}

TEST_CASE("Flyway versions compare segment by segment with trailing zeros ignored", "[version]") {
  CHECK(compare_versions("1", "1.0") == 0);
  CHECK(compare_versions("1.1", "1.1.0.0") == 0);
  CHECK(compare_versions("1.1", "1.10") < 0);
  CHECK(compare_versions("1.2.13.3", "1.2.3.3") > 0);
  CHECK(compare_versions("9_4", "9.4") == 0);
  CHECK(compare_versions("1.1", "2") < 0);
}

TEST_CASE("Only digit groups joined by single separators are valid versions", "[version]") {
  CHECK(strata::is_valid_version("20240101000000"));
  CHECK(strata::is_valid_version("2024-10-25-112826-0000"));
  CHECK(strata::is_valid_version("1.2.3"));
  CHECK_FALSE(strata::is_valid_version(""));
  CHECK_FALSE(strata::is_valid_version("1..1"));
  CHECK_FALSE(strata::is_valid_version(".1"));
  CHECK_FALSE(strata::is_valid_version("1."));
  CHECK_FALSE(strata::is_valid_version("abc1"));
}
