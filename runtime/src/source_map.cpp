// Character/byte conversions and file:line:col lookup for server error positions.
#include "source_map.hpp"

#include <algorithm>

namespace strata::detail {
namespace {

constexpr bool continues(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

}  // namespace

std::size_t utf8_length(std::string_view text) noexcept {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !continues(c); }));
}

std::size_t byte_offset_of(std::string_view text, std::size_t chars) noexcept {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (continues(text[i]))
      continue;
    if (seen == chars)
      return i;
    ++seen;
  }
  return text.size();
}

SourcePosition locate(const Section& section, std::size_t offset) {
  const std::string_view sql = section.sql.substr(0, std::min(offset, section.sql.size()));
  const std::size_t newlines = static_cast<std::size_t>(std::count(sql.begin(), sql.end(), '\n'));
  const std::size_t line_start =
      sql.rfind('\n') == std::string_view::npos ? 0 : sql.rfind('\n') + 1;
  SourcePosition position;
  position.path = std::string{section.path};
  position.line = section.first_line + static_cast<std::uint32_t>(newlines);
  position.column = static_cast<std::uint32_t>(utf8_length(sql.substr(line_start)) + 1);
  return position;
}

std::optional<std::size_t> statement_at(const Section& section, std::size_t offset) noexcept {
  for (std::size_t i = 0; i < section.statements.size(); ++i) {
    const Statement& statement = section.statements[i];
    if (offset >= statement.offset && offset < std::size_t{statement.offset} + statement.length) {
      return i;
    }
  }
  return std::nullopt;
}

std::size_t statement_start(const Section& section, std::size_t index) noexcept {
  const Statement& statement = section.statements[index];
  const std::size_t end =
      std::min(section.sql.size(), std::size_t{statement.offset} + statement.length);
  std::size_t pos = statement.offset;
  while (pos < end) {
    const char c = section.sql[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos;
    } else if (section.sql.substr(pos, 2) == "--") {
      const std::size_t eol = section.sql.find('\n', pos);
      pos = eol == std::string_view::npos ? end : eol + 1;
    } else {
      break;
    }
  }
  return pos < end ? pos : statement.offset;
}

}  // namespace strata::detail
