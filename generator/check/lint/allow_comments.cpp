// Finding `-- strata:allow` comments by lines, the way a reader sees them above a statement.
#include "check/lint/allow_comments.hpp"

#include <optional>

#include "catalog/text.hpp"

namespace strata::generator::lint {
namespace {

constexpr std::string_view marker = "strata:allow";

// The first word of `text` (which starts with no blank), and what follows it.
std::string_view first_word(std::string_view text) noexcept {
  std::size_t end = 0;
  while (end < text.size() && !is_blank(text[end]))
    ++end;
  return text.substr(0, end);
}

// The allow comment on the line text[begin, end), if the line is one. `comment_line` tells
// whether it is a comment line at all (allow or not).
std::optional<AllowComment> parse_line(std::string_view text, std::size_t begin, std::size_t end,
                                       bool& comment_line) {
  const std::string_view line = trim(text.substr(begin, end - begin));
  comment_line = line.starts_with("--");
  if (!comment_line)
    return std::nullopt;
  const std::string_view body = trim(line.substr(2));
  if (!body.starts_with(marker) ||
      (body.size() > marker.size() && !is_blank(body[marker.size()]))) {
    return std::nullopt;
  }
  const std::string_view rest = trim(body.substr(marker.size()));
  AllowComment allow;
  allow.offset = static_cast<std::size_t>(line.data() - text.data());
  allow.rule_id = first_word(rest);
  allow.reason = trim(rest.substr(allow.rule_id.size()));
  return allow;
}

}  // namespace

std::vector<AllowComment> allow_comments_above(std::string_view text, std::size_t statement,
                                               std::size_t floor) {
  std::vector<AllowComment> result;
  std::size_t line_start = 0;
  if (statement > 0) {
    if (const std::size_t newline = text.rfind('\n', statement - 1);
        newline != std::string_view::npos) {
      line_start = newline + 1;
    }
  }
  // Walk up through the comment lines that end just above the statement's line.
  while (line_start > 0 && line_start > floor) {
    const std::size_t end = line_start - 1;  // the '\n' ending the line above
    const std::size_t previous = end == 0 ? std::string_view::npos : text.rfind('\n', end - 1);
    const std::size_t begin = previous == std::string_view::npos ? 0 : previous + 1;
    if (begin < floor)
      break;  // the line holds the end of the previous statement
    bool comment_line = false;
    if (auto allow = parse_line(text, begin, end, comment_line))
      result.push_back(*allow);
    if (!comment_line)
      break;
    line_start = begin;
  }
  return result;
}

std::vector<AllowComment> all_allow_comments(std::string_view text) {
  std::vector<AllowComment> result;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos)
      end = text.size();
    bool comment_line = false;
    if (auto allow = parse_line(text, begin, end, comment_line))
      result.push_back(*allow);
    begin = end + 1;
  }
  return result;
}

}  // namespace strata::generator::lint
