// Small text helpers the runtime and the CLI share: PostgreSQL identifier quoting without a
// connection, trimming of the blanks a hand-written line carries, and a statement folded onto one
// line for a message.
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

// `statement` on one line: its line breaks and indentation folded into single spaces, so that a
// message shows one statement as one (a line break folded into "; " reads as two).
[[nodiscard]] inline std::string on_one_line(std::string_view statement) {
  std::string out;
  bool space = false;
  for (const char c : statement) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space)
      out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace strata::detail
