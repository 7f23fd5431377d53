// Mapping the server's error position back to a migration's source file.
//
// The server counts characters (1-based) in the whole string it received; the compiler's
// statement ranges count bytes in the section's SQL. These helpers convert between the two, so
// an error in a migration sent as `BEGIN; <up>; <history insert>; COMMIT` points at its file.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include <strata/error.hpp>
#include <strata/migration_set.hpp>

namespace strata::detail {

// Number of UTF-8 characters in `text` (bytes that do not continue a sequence).
[[nodiscard]] std::size_t utf8_length(std::string_view text) noexcept;

// Byte offset of the character `chars` of `text`; text.size() when past the end.
[[nodiscard]] std::size_t byte_offset_of(std::string_view text, std::size_t chars) noexcept;

// File, line and column (in characters, 1-based) of byte `offset` of `section.sql`.
[[nodiscard]] SourcePosition locate(const Section& section, std::size_t offset);

// The index of the statement of `section` that contains byte `offset`, if any.
[[nodiscard]] std::optional<std::size_t> statement_at(const Section& section,
                                                      std::size_t offset) noexcept;

// Byte offset of the first character of statement `index` that is not blank or a comment line,
// so an error without a server position points at the statement's text, not the blank before.
[[nodiscard]] std::size_t statement_start(const Section& section, std::size_t index) noexcept;

}  // namespace strata::detail
