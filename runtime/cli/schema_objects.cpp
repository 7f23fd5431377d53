// What a described schema object is made of, and how two descriptions compare: in words for the
// user (compare_objects), and for the tracking (reads_differently).
#include "schema_objects.hpp"

#include <algorithm>
#include <tuple>

namespace strata::cli {
namespace {

// Whether `text` starts like a date or a time as PostgreSQL prints them: 2026-11-30[ 15:29:29...].
bool is_printed_time(std::string_view text) {
  static constexpr std::string_view k_shape = "dddd-dd-dd dd:dd:dd";
  if (text.size() != 10 && text.size() < k_shape.size())
    return false;
  for (std::size_t i = 0; i < std::min(text.size(), k_shape.size()); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (k_shape[i] == 'd' ? !digit : text[i] != k_shape[i])
      return false;
  }
  return true;
}

// The names of the columns a description lists ("column <quote_ident(name)> <type>…" lines).
std::vector<std::string_view> column_names(std::string_view body) {
  std::vector<std::string_view> names;
  static constexpr std::string_view k_column = "column ";
  while (!body.empty()) {
    const std::size_t end = std::min(body.find('\n'), body.size());
    std::string_view line = body.substr(0, end);
    body.remove_prefix(std::min(end + 1, body.size()));
    if (!line.starts_with(k_column))
      continue;
    line.remove_prefix(k_column.size());
    std::size_t length = 0;
    if (line.starts_with('"')) {  // quote_ident's quotes: "" inside stands for one "
      length = 1;
      while (length < line.size() &&
             !(line[length] == '"' && (length + 1 == line.size() || line[length + 1] != '"'))) {
        length += line[length] == '"' ? 2 : 1;
      }
      length = std::min(length + 1, line.size());
    } else {
      length = std::min(line.find(' '), line.size());
    }
    names.push_back(line.substr(0, length));
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The first line where two bodies differ, for a message.
std::string first_difference(const std::string& before, const std::string& after) {
  std::size_t b = 0;
  std::size_t a = 0;
  while (b < before.size() || a < after.size()) {
    const std::size_t b_end =
        b >= before.size() ? b : std::min(before.find('\n', b), before.size());
    const std::size_t a_end = a >= after.size() ? a : std::min(after.find('\n', a), after.size());
    const std::string_view was =
        b >= before.size() ? std::string_view{} : std::string_view{before}.substr(b, b_end - b);
    const std::string_view now =
        a >= after.size() ? std::string_view{} : std::string_view{after}.substr(a, a_end - a);
    if (was != now) {
      if (now.empty())
        return "lacks `" + std::string{was} + "`";
      return "has `" + std::string{now} + "`" +
             (was.empty() ? "" : " where it had `" + std::string{was} + "`");
    }
    b = b_end + 1;
    a = a_end + 1;
  }
  return "differs";
}

}  // namespace

std::string without_frozen_times(std::string body) {
  for (std::size_t cast = body.find("'::"); cast != std::string::npos;
       cast = body.find("'::", cast + 3)) {
    const std::string_view type = std::string_view{body}.substr(cast + 3);
    if (!type.starts_with("timestamp") && !type.starts_with("date"))
      continue;
    const std::size_t open = body.rfind('\'', cast == 0 ? 0 : cast - 1);
    if (open == std::string::npos || !is_printed_time(body.substr(open + 1, cast - open - 1)))
      continue;
    body.replace(open + 1, cast - open - 1, "(a time)");
    cast = open + 1 + std::string_view{"(a time)"}.size();
  }
  return body;
}

bool reads_differently(const SchemaObject& before, const SchemaObject& after) {
  if (before.name != after.name)
    return true;
  if (before.body.starts_with("enum ") && before.body != after.body)
    return true;
  const std::vector<std::string_view> was = column_names(before.body);
  const std::vector<std::string_view> now = column_names(after.body);
  const auto gone = [](const std::vector<std::string_view>& from,
                       const std::vector<std::string_view>& in) {
    return !std::includes(in.begin(), in.end(), from.begin(), from.end());
  };
  return gone(was, now) && gone(now, was);
}

SchemaDifferences compare_objects(std::vector<SchemaObject> before,
                                  std::vector<SchemaObject> after) {
  const auto order = [](const SchemaObject& x, const SchemaObject& y) {
    return std::tie(x.kind, x.name) < std::tie(y.kind, y.name);
  };
  std::sort(before.begin(), before.end(), order);
  std::sort(after.begin(), after.end(), order);
  SchemaDifferences differences;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && order(*b, *a))) {
      differences.push_back("the down does not restore " + b->kind + " " + b->name);
      ++b;
    } else if (b == before.end() || order(*a, *b)) {
      differences.push_back("the down leaves " + a->kind + " " + a->name);
      ++a;
    } else {
      if (a->body != b->body) {
        differences.push_back("the down leaves " + a->kind + " " + a->name + " different: it " +
                              first_difference(b->body, a->body));
      }
      ++a;
      ++b;
    }
  }
  return differences;
}

}  // namespace strata::cli
