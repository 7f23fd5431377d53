// Small text helpers the runtime and the CLI share: PostgreSQL identifier quoting without a
// connection, and trimming of the blanks a hand-written line carries.
#pragma once

#include <string>
#include <string_view>

namespace strata::detail {

// PostgreSQL's own quoting of an identifier: always quoted, `"` doubled. libpq's
// PQescapeIdentifier needs a connection; callers here quote names they already parsed.
[[nodiscard]] inline std::string quote_identifier(std::string_view name) {
  std::string out{"\""};
  for (const char c : name) {
    out += c;
    if (c == '"')
      out += '"';
  }
  return out + '"';
}

// `text` without leading and trailing spaces, tabs and carriage returns (a CRLF file's lines).
[[nodiscard]] inline std::string_view trim_blanks(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos)
    return {};
  const std::size_t last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace strata::detail
