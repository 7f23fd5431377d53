// Migration versions: how strata orders "2" before "10" and Diesel's timestamps by date.
#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace strata {

// Orders two migration versions as written in file names.
//
// - Digits, with `-` separators removed, compare as numbers: "2" < "10", "0001" == "1".
// - When both have 14 digits or more (timestamps), or both are written with dashes (Diesel), they
//   compare as text instead, dashes removed, as Diesel orders them: "2024-10-25-112826-0000"
//   sorts among the other 2024 timestamps, and a hand-typed "2020-12-7-190800" after
//   "2020-12-15-000000".
// - Versions containing `.` or `_` (Flyway) compare segment by segment as numbers, trailing zero
//   segments ignored: "1" == "1.0" < "1.1" < "1.10".
// Never throws; text that is not a version compares by its bytes after all valid versions.
[[nodiscard]] std::strong_ordering compare_versions(std::string_view a,
                                                    std::string_view b) noexcept;

// Whether `text` is a version compare_versions understands: digit groups separated by `-`, `.`
// or `_`, starting and ending with a digit.
[[nodiscard]] bool is_valid_version(std::string_view text) noexcept;

// The version Diesel gives a migration folder: its name up to the first `_` (the whole name when
// there is none), dashes removed ("2024-01-01-000000_users" → "20240101000000"). Diesel orders
// its migrations by this text and records it in __diesel_schema_migrations.
[[nodiscard]] std::string diesel_version(std::string_view folder_name);

}  // namespace strata
