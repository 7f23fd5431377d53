// Version ordering shared by the compiler (to sort and find duplicates) and the runtime (to find
// out-of-order and unknown versions in the history table). One definition, so both agree.
#include <algorithm>
#include <string>

#include <strata/version_order.hpp>

namespace strata {
namespace {

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_separator(char c) noexcept {
  return c == '-' || c == '.' || c == '_';
}

// Versions are compared without copying them: a `-` only joins the digit groups of one segment
// (Diesel's timestamps) and is skipped wherever digits are read; `.` and `_` separate segments
// (Flyway). A no-op start compares every version of the set, so this stays allocation-free.

// The number of digits of `text` (its `-` are not).
std::size_t digit_count(std::string_view text) noexcept {
  return text.size() - static_cast<std::size_t>(std::count(text.begin(), text.end(), '-'));
}

// Compares the digits of two segments as text, skipping their `-`.
std::strong_ordering compare_digits(std::string_view a, std::string_view b) noexcept {
  std::size_t i = 0;
  std::size_t j = 0;
  for (;; ++i, ++j) {
    while (i < a.size() && a[i] == '-')
      ++i;
    while (j < b.size() && b[j] == '-')
      ++j;
    if (i == a.size() || j == b.size())
      return (a.size() - i) <=> (b.size() - j);  // the one that ran out first is less
    if (a[i] != b[j])
      return a[i] <=> b[j];
  }
}

// `digits` without its leading zeros (the last digit stays).
std::string_view significant(std::string_view digits) noexcept {
  std::size_t count = digit_count(digits);
  while (!digits.empty() && (digits.front() == '-' || (digits.front() == '0' && count > 1))) {
    count -= digits.front() == '0' ? 1 : 0;
    digits.remove_prefix(1);
  }
  return digits;
}

// Compares the digits of two segments as non-negative integers of any length.
std::strong_ordering compare_numbers(std::string_view a, std::string_view b) noexcept {
  a = significant(a);
  b = significant(b);
  if (const std::size_t x = digit_count(a), y = digit_count(b); x != y)
    return x <=> y;
  return compare_digits(a, b);
}

// Where the first segment of `text` ends (`.` or `_`), or npos.
std::size_t segment_end(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.' || text[i] == '_')
      return i;
  }
  return std::string_view::npos;
}

// The next segment of `rest`, which loses it and its separator; "0" once `rest` is spent, so a
// shorter version compares as if padded with zero segments.
std::string_view next_segment(std::string_view& rest, bool& spent) noexcept {
  if (spent)
    return "0";
  const std::size_t end = segment_end(rest);
  const std::string_view segment = rest.substr(0, end);
  spent = end == std::string_view::npos;
  rest.remove_prefix(spent ? rest.size() : end + 1);
  return segment;
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
  const bool single_segments =
      segment_end(a) == std::string_view::npos && segment_end(b) == std::string_view::npos;
  const bool both_dashed =
      a.find('-') != std::string_view::npos && b.find('-') != std::string_view::npos;
  if (single_segments &&
      (both_dashed || (digit_count(a) >= timestamp_digits && digit_count(b) >= timestamp_digits))) {
    return compare_digits(a, b);
  }
  bool a_spent = false;
  bool b_spent = false;
  while (!a_spent || !b_spent) {
    const std::string_view x = next_segment(a, a_spent);
    const std::string_view y = next_segment(b, b_spent);
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
