// Migration versions: how strata orders "2" before "10" and Diesel's timestamps by date.
#pragma once

#include <compare>
#include <string_view>

namespace strata {

// Orders two migration versions as written in file names.
//
// - Digits, with `-` separators removed, compare as numbers: "2" < "10", "0001" == "1".
// - When both have 14 digits or more (timestamps), they compare as text instead, so Diesel's
//   "2024-10-25-112826-0000" sorts among the other 2024 timestamps as Diesel orders it.
// - Versions containing `.` or `_` (Flyway) compare segment by segment as numbers, trailing zero
//   segments ignored: "1" == "1.0" < "1.1" < "1.10".
// Never throws; text that is not a version compares by its bytes after all valid versions.
[[nodiscard]] std::strong_ordering compare_versions(std::string_view a,
                                                    std::string_view b) noexcept;

// Whether `text` is a version compare_versions understands: digit groups separated by `-`, `.`
// or `_`, starting and ending with a digit.
[[nodiscard]] bool is_valid_version(std::string_view text) noexcept;

}  // namespace strata
