// UTF-8 as strata validates and prints it, shared by the compiler (file names, SQL text) and the
// CLI (names and statements on a terminal or in JSON). Header-only (strata_support): nothing of it
// has to be linked, so the exported runtime and CLI libraries carry no trace of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::detail {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when the bytes there are not one
// (overlong forms, surrogates and code points past U+10FFFF are rejected, as PostgreSQL does).
// NUL is a valid one-byte sequence here; callers that refuse it check for it themselves.
[[nodiscard]] constexpr std::size_t utf8_sequence_length(std::string_view text,
                                                         std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80U)
    return 1;
  std::size_t length = 0;
  std::uint32_t min = 0;
  std::uint32_t code = 0;
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2, min = 0x80, code = lead & 0x1FU;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3, min = 0x800, code = lead & 0x0FU;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4, min = 0x10000, code = lead & 0x07U;
  } else {
    return 0;
  }
  if (i + length > text.size())
    return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0U) != 0x80U)
      return 0;
    code = (code << 6U) | (byte(k) & 0x3FU);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
    return 0;
  return length;
}

// Whether all of `text` is valid UTF-8.
[[nodiscard]] constexpr bool is_valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0)
      return false;
    i += length;
  }
  return true;
}

// Whether the character text[i, i + length) is one a terminal acts on rather than shows: a C0
// control (tab aside), DEL, or a C1 control (U+0080–U+009F, e.g. the one-byte CSI).
[[nodiscard]] constexpr bool is_control_character(std::string_view text, std::size_t i,
                                                  std::size_t length) noexcept {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (length == 1)
    return (lead < 0x20U && lead != '\t') || lead == 0x7FU;
  return length == 2 && lead == 0xC2U && static_cast<unsigned char>(text[i + 1]) < 0xA0U;
}

// `text` safe to print on a terminal: every control character (tab aside) and every byte that is
// not part of valid UTF-8 written as \xHH, so a name or statement can neither move the cursor,
// recolour the screen nor garble the line. Everything else is kept as it is.
[[nodiscard]] inline std::string printable(std::string_view text) {
  constexpr std::string_view hex = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length > 0 && !is_control_character(text, i, length)) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    for (std::size_t k = 0; k < (length == 0 ? 1 : length); ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      out += "\\x";
      out += hex[byte >> 4U];
      out += hex[byte & 0x0FU];
    }
    i += length == 0 ? 1 : length;
  }
  return out;
}

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a UTF-8
// character.
[[nodiscard]] constexpr std::string_view cut_at_character(std::string_view text,
                                                          std::size_t max_bytes) noexcept {
  if (text.size() <= max_bytes)
    return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U)
    --end;
  return text.substr(0, end);
}

}  // namespace strata::detail
