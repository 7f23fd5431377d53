// The record layout of a compiled table (<strata/compiled_table.hpp>): how the index numbers are
// written and which field is where.
//
// Only the two ends of the format include this: the emitter (generator/emit), which writes the
// index, and the runtime's reader (runtime/src/migration_set.cpp), which decodes it, plus their
// tests. Generated code and user code never do, so it is not installed
// (cmake/StrataInstall.cmake): both readers of it are compiled inside strata's own build.
// Changing anything here changes the format: bump strata::compiled_table_format with it.
#pragma once

namespace strata::compiled {

// Numbers in the index are written in base 64, most significant digit first, with RFC 4648's
// digits ('A' = 0 … '/' = 63): no quote, backslash or question mark, so nothing needs escaping.
// Each field has a fixed number of digits (its width), so record i starts at i * record_digits.
inline constexpr char base64_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr unsigned bits_per_digit = 6;
// 6 digits hold any std::uint32_t; narrower fields hold what file names and paths can be.
inline constexpr unsigned wide = 6;

// One record per migration, in table order, each `record_fields` numbers. A migration's strings
// are consecutive in the text from `text_offset`: version, name, checksum, up path, up SQL,
// down path (absent when `down_shares_path`), down SQL.
enum RecordField : unsigned {
  flags,           // bits of `Flag`
  text_offset,     // bytes from the start of the text
  version_length,  // then the length of each of the migration's strings, in text order
  name_length,
  checksum_length,
  up_path_length,  // 0: no up section
  up_sql_length,
  down_path_length,  // 0 with down_shares_path: the up path; 0 without: no down section
  down_sql_length,
  up_first_line,  // line of the path on which the SQL starts
  down_first_line,
  first_statement,  // index of the up section's first statement; the down's follow them
  up_statement_count,
  down_statement_count,
  record_fields
};

enum Flag : unsigned {
  routine = 1U,
  up_in_transaction = 2U,
  down_in_transaction = 4U,
  down_shares_path = 8U,
};

// The width of each RecordField: 2 digits hold 4,095 (a file name is at most 255 bytes), 3 hold
// 262,143 (a path is at most 4,096 on Linux, 32,767 on Windows).
inline constexpr unsigned char record_widths[record_fields] = {
    1, wide, 2, 2, 2, 3, wide, 3, wide, wide, wide, wide, wide, wide};

// After the last record, one entry per statement, each `statement_fields` numbers of `wide`
// digits.
enum StatementField : unsigned {
  statement_offset,
  statement_length,
  statement_line,
  statement_fields
};

// Where `field` starts in a record, in digits.
constexpr unsigned field_position(unsigned field) noexcept {
  unsigned position = 0;
  for (unsigned i = 0; i < field; ++i)
    position += record_widths[i];
  return position;
}

inline constexpr unsigned record_digits = field_position(record_fields);
inline constexpr unsigned statement_digits = statement_fields * wide;

}  // namespace strata::compiled
