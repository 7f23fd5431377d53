// Unit tests of the commands the CLI suggests: each one, parsed by the real command-line parser
// of the program that printed it, must be the command it claims to be. No database.
#include "advice.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

using strata::cli::Command;
using strata::cli::Invocation;

// Every `...` span of `lines`.
std::vector<std::string> backquoted(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const std::string& line : lines) {
    for (std::size_t open = line.find('`'); open != std::string::npos;) {
      const std::size_t close = line.find('`', open + 1);
      REQUIRE(close != std::string::npos);
      out.push_back(line.substr(open + 1, close - open - 1));
      open = line.find('`', close + 1);
    }
  }
  return out;
}

// Splits `text` into words as a POSIX shell would, for the quoting advice.cpp writes: spaces
// separate words, single quotes quote everything up to the next single quote, \' outside quotes
// is a quote.
std::vector<std::string> shell_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      if (in_word)
        words.push_back(word);
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const std::size_t close = text.find('\'', i + 1);
      REQUIRE(close != std::string::npos);
      word += text.substr(i + 1, close - i - 1);
      i = close;
      in_word = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word)
    words.push_back(word);
  return words;
}

// Parses `command` (which starts with `program`) with the real parser, as that program would.
Invocation parse_suggested(const std::string& command, const strata::cli::Host& host) {
  REQUIRE(command.rfind(host.program + " ", 0) == 0);
  const std::vector<std::string> words = shell_words(command.substr(host.program.size() + 1));
  std::vector<const char*> argv{"program"};
  for (const std::string& word : words)
    argv.push_back(word.c_str());
  return strata::cli::parse_command_line(static_cast<int>(argv.size()), argv.data(), host);
}

std::vector<std::string> host_value(const Invocation& invocation, const std::string& name) {
  for (const auto& [key, values] : invocation.host_values) {
    if (key == name)
      return values;
  }
  return {};
}

}  // namespace

TEST_CASE("Every resolve command a refusal suggests parses as that resolve for the same target",
          "[cli][unit]") {
  for (const char* program : {"strata", "myapp migrate"}) {
    strata::cli::Host host;
    host.program = program;
    host.options = {{"dir,d", "DIR", "migrations folder", "db/migrations", false},
                    {"ignore", "GLOB", "files to skip", "", true}};
    std::vector<const char*> argv{"x",        "up",
                                  "--table",  "audit.\"My History\"",
                                  "-d",       "my migrations/it's here",
                                  "--ignore", "*.draft.sql",
                                  "--url",    "postgresql://u:secret@h/db"};
    const Invocation invocation =
        strata::cli::parse_command_line(static_cast<int>(argv.size()), argv.data(), host);

    for (const strata::RefusedError& error :
         {strata::RefusedError{"m", strata::Refusal::failed, {"20260101000002"}},
          strata::RefusedError{"m", strata::Refusal::failed_rollback, {"2", "3"}}}) {
      const std::vector<std::string> lines = strata::cli::refusal_advice(error, host, invocation);
      const std::vector<std::string> commands = backquoted(lines);
      REQUIRE(commands.size() == 2 * error.versions().size());
      for (const std::string& command : commands) {
        INFO(command);
        CHECK(command.find("secret") == std::string::npos);
        const Invocation suggested = parse_suggested(command, host);
        REQUIRE(suggested.spec != nullptr);
        CHECK(suggested.spec->command == Command::resolve);
        CHECK(suggested.table == "audit.\"My History\"");
        CHECK(host_value(suggested, "dir") == std::vector<std::string>{"my migrations/it's here"});
        CHECK(host_value(suggested, "ignore") == std::vector<std::string>{"*.draft.sql"});
        const std::string version = suggested.mark_applied.value_or(
            suggested.forget.value_or(suggested.mark_rolled_back.value_or("")));
        CHECK(std::find(error.versions().begin(), error.versions().end(), version) !=
              error.versions().end());
        if (error.reason() == strata::Refusal::failed_rollback)
          CHECK_FALSE(suggested.forget);
        else
          CHECK_FALSE(suggested.mark_rolled_back);
      }
    }
    const strata::RefusedError drift{"m", strata::Refusal::drift, {"1"}};
    CHECK(strata::cli::refusal_advice(drift, host, invocation).empty());
  }
}
