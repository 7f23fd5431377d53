#include <algorithm>
#include <compare>
#include <random>
#include <string>
#include <vector>

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

namespace {
// The rule as first written, copying each segment: the reference the allocation-free comparison
// must agree with.
int reference_order(std::string_view a, std::string_view b) {
  const auto segments = [](std::string_view version) {
    std::vector<std::string> result(1);
    for (const char c : version) {
      if (c == '.' || c == '_')
        result.emplace_back();
      else if (c != '-')
        result.back().push_back(c);
    }
    return result;
  };
  const auto sign = [](auto order) { return order < 0 ? -1 : order > 0 ? 1 : 0; };
  const auto number = [](std::string digits) {
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
    return digits;
  };
  const std::vector<std::string> sa = segments(a);
  const std::vector<std::string> sb = segments(b);
  const bool both_dashed =
      a.find('-') != std::string_view::npos && b.find('-') != std::string_view::npos;
  if (sa.size() == 1 && sb.size() == 1 &&
      (both_dashed || (sa[0].size() >= 14 && sb[0].size() >= 14))) {
    return sign(sa[0].compare(sb[0]));
  }
  for (std::size_t i = 0; i < std::max(sa.size(), sb.size()); ++i) {
    const std::string x = number(i < sa.size() ? sa[i] : "0");
    const std::string y = number(i < sb.size() ? sb[i] : "0");
    if (x.size() != y.size())
      return x.size() < y.size() ? -1 : 1;
    if (const int order = sign(x.compare(y)); order != 0)
      return order;
  }
  return 0;
}
}  // namespace

TEST_CASE("Versions compare as the segment-copying rule does, over many generated versions",
          "[version]") {
  std::mt19937 random{20261130};
  const std::string alphabet = "000001129--._";
  std::vector<std::string> versions{"1", "0", "00", "20240101000000", "2024-01-01-000000"};
  while (versions.size() < 400) {
    std::string version;
    const std::size_t length = 1 + random() % 18;
    for (std::size_t i = 0; i < length; ++i)
      version += alphabet[random() % alphabet.size()];
    if (strata::is_valid_version(version))
      versions.push_back(version);
  }
  // Around the 14 digits from which a single segment compares as text (timestamps).
  for (int i = 0; i < 100; ++i) {
    std::string digits;
    for (std::size_t n = 12 + random() % 4; n > 0; --n)
      digits += "0199"[random() % 4];
    versions.push_back(digits);
  }
  for (const std::string& a : versions) {
    for (const std::string& b : versions) {
      INFO(a << " vs " << b);
      REQUIRE(compare_versions(a, b) == reference_order(a, b));
    }
  }
}
