// plan: exactly the SQL `up` would send, one block per round trip, in a form that pastes into
// psql as it is.
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "json.hpp"

namespace strata::cli {
namespace {

// `line` without a trailing `--` comment (one outside quotes) and trailing blanks.
std::string_view without_comment(std::string_view line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote)
        quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '-' && i + 1 < line.size() && line[i + 1] == '-') {
      line = line.substr(0, i);
      break;
    }
  }
  const std::size_t end = line.find_last_not_of(" \t\r");
  return end == std::string_view::npos ? std::string_view{} : line.substr(0, end + 1);
}

// The code of the last line of `text` that is not blank or only a `--` comment.
std::string_view last_code_line(std::string_view text) {
  while (!text.empty()) {
    const std::size_t end = text.find_last_not_of(" \t\r\n");
    if (end == std::string_view::npos)
      return {};
    text = text.substr(0, end + 1);
    const std::size_t start = text.find_last_of('\n') + 1;  // npos + 1 == 0
    const std::string_view line = text.substr(start);
    if (const std::string_view code = without_comment(line); !code.empty())
      return code;
    text = text.substr(0, start);
  }
  return {};
}

// One round trip as psql takes it: every statement ends with `;`. The runtime sends a statement of
// a non-transactional migration without one, and ends a transactional section with a `;` line of
// its own in case the last statement lacks one; psql would join the first to the next statement
// and show the second as a stray empty statement.
std::string pasteable(std::string text) {
  static constexpr std::string_view k_guard = "\n;\n";
  if (const std::size_t guard = text.find(k_guard); guard != std::string::npos) {
    if (last_code_line(std::string_view{text}.substr(0, guard)).ends_with(';'))
      text.erase(guard, k_guard.size() - 1);
  }
  if (const std::string_view last = last_code_line(text); !last.empty() && !last.ends_with(';')) {
    text.erase(text.find_last_not_of(" \t\r\n") + 1);
    const std::size_t line_start = text.find_last_of('\n') + 1;
    // After a comment on the same line, the `;` must go on a line of its own.
    text += without_comment(std::string_view{text}.substr(line_start)).size() ==
                    text.size() - line_start
                ? ";"
                : "\n;";
  }
  return text;
}

}  // namespace

int plan_command(Context& context) {
  Migrator migrator = context.migrator();
  const std::vector<std::string> round_trips = migrator.up_sql();
  if (context.invocation().json) {
    JsonWriter json;
    json.begin_object().key("table").value(context.invocation().table);
    json.key("round_trips").begin_array();
    for (const std::string& sql : round_trips)
      json.value(sql);
    context.output().data(json.end_array().end_object().str());
    return exit_ok;
  }
  if (round_trips.empty()) {
    context.output().data("-- nothing to apply: the database is up to date\n");
    return exit_ok;
  }
  std::string text;
  for (std::size_t i = 0; i < round_trips.size(); ++i) {
    text += "-- round trip " + std::to_string(i + 1) + " of " + std::to_string(round_trips.size()) +
            "\n" + pasteable(round_trips[i]);
    if (!round_trips[i].ends_with('\n'))
      text += '\n';
    text += '\n';
  }
  context.output().data(text);
  return exit_ok;
}

}  // namespace strata::cli
