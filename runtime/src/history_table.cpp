// Parsing a configured history table name.
#include "history_table.hpp"

#include <algorithm>

#include <strata/error.hpp>

#include "text.hpp"

namespace strata::detail {
namespace {

std::string lower_ascii(std::string_view text) {
  std::string out{text};
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// One part of a dotted name starting at `pos`; advances `pos` past it.
std::string parse_part(std::string_view text, std::size_t& pos, std::string_view configured) {
  const auto fail = [&](const std::string& why) {
    return ConfigurationError("history table \"" + std::string{configured} + "\": " + why);
  };
  std::string part;
  if (pos < text.size() && text[pos] == '"') {
    for (++pos;; ++pos) {
      if (pos >= text.size())
        throw fail("unterminated quoted identifier");
      if (text[pos] == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          part += '"';
          ++pos;
          continue;
        }
        ++pos;
        break;
      }
      part += text[pos];
    }
    if (part.empty())
      throw fail("empty quoted identifier");
    return part;
  }
  const std::size_t end = std::min(text.find('.', pos), text.size());
  part = lower_ascii(text.substr(pos, end - pos));
  if (part.empty())
    throw fail("expected a name like strata_migrations or schema.table");
  if (part.find('"') != std::string::npos)
    throw fail("a quote inside an unquoted name");
  pos = end;
  return part;
}

}  // namespace

HistoryTable::HistoryTable(std::string_view configured) {
  std::size_t pos = 0;
  std::string first = parse_part(configured, pos, configured);
  if (pos < configured.size()) {
    if (configured[pos] != '.') {
      throw ConfigurationError("history table \"" + std::string{configured} +
                               "\": unexpected text after a quoted name");
    }
    ++pos;
    m_schema = std::move(first);
    m_table = parse_part(configured, pos, configured);
    if (pos != configured.size()) {
      throw ConfigurationError("history table \"" + std::string{configured} +
                               "\": at most schema.table");
    }
  } else {
    m_table = std::move(first);
  }
  m_quoted = (m_schema.empty() ? "" : quote_identifier(m_schema) + ".") + quote_identifier(m_table);
}

}  // namespace strata::detail
