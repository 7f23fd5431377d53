// Version ordering shared by the compiler (to sort and find duplicates) and the runtime (to find
// out-of-order and unknown versions in the history table). One definition, so both agree.
#include <algorithm>
#include <string>
#include <vector>

#include <strata/version_order.hpp>

namespace strata {
namespace {

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_separator(char c) noexcept {
  return c == '-' || c == '.' || c == '_';
}

// The digit runs of a version: `.` and `_` separate segments (Flyway), `-` only joins digit groups
// of one segment (Diesel's timestamps).
std::vector<std::string> segments(std::string_view version) {
  std::vector<std::string> result(1);
  for (char c : version) {
    if (c == '.' || c == '_') {
      result.emplace_back();
    } else if (c != '-') {
      result.back().push_back(c);
    }
  }
  return result;
}

std::string_view without_leading_zeros(std::string_view digits) noexcept {
  while (digits.size() > 1 && digits.front() == '0')
    digits.remove_prefix(1);
  return digits;
}

// Compares digit strings of any length as non-negative integers.
std::strong_ordering compare_numbers(std::string_view a, std::string_view b) noexcept {
  a = without_leading_zeros(a);
  b = without_leading_zeros(b);
  if (a.size() != b.size())
    return a.size() <=> b.size();
  return a.compare(b) <=> 0;
}

constexpr std::size_t timestamp_digits = 14;

}  // namespace

bool is_valid_version(std::string_view text) noexcept {
  if (text.empty() || !is_digit(text.front()) || !is_digit(text.back()))
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_digit(text[i]))
      continue;
    if (!is_separator(text[i]) || !is_digit(text[i + 1]))
      return false;  // back() is a digit
  }
  return true;
}

std::strong_ordering compare_versions(std::string_view a, std::string_view b) noexcept {
  const bool a_valid = is_valid_version(a);
  const bool b_valid = is_valid_version(b);
  if (!a_valid || !b_valid) {
    if (a_valid != b_valid)
      return a_valid ? std::strong_ordering::less : std::strong_ordering::greater;
    return a.compare(b) <=> 0;
  }
  const auto sa = segments(a);
  const auto sb = segments(b);
  const bool both_dashed =
      a.find('-') != std::string_view::npos && b.find('-') != std::string_view::npos;
  if (sa.size() == 1 && sb.size() == 1 &&
      (both_dashed || (sa[0].size() >= timestamp_digits && sb[0].size() >= timestamp_digits))) {
    return sa[0].compare(sb[0]) <=> 0;
  }
  const std::size_t n = std::max(sa.size(), sb.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view x = i < sa.size() ? std::string_view{sa[i]} : "0";
    const std::string_view y = i < sb.size() ? std::string_view{sb[i]} : "0";
    if (const auto order = compare_numbers(x, y); order != 0)
      return order;
  }
  return std::strong_ordering::equal;
}

std::string diesel_version(std::string_view folder_name) {
  std::string version;
  for (const char c : folder_name.substr(0, folder_name.find('_'))) {
    if (c != '-')
      version += c;
  }
  return version;
}

}  // namespace strata
