// Reading `.env` (see env_file.hpp).
#include "env_file.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <strata/error.hpp>

#include "text.hpp"

namespace strata::cli {
namespace {

bool is_key(std::string_view key) {
  if (key.empty() || (key.front() >= '0' && key.front() <= '9'))
    return false;
  for (const char c : key) {
    if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
      return false;
  }
  return true;
}

// The value after `=`; nullopt-like empty `ok` when a quote is not closed.
bool parse_value(std::string_view raw, std::string& value) {
  raw = detail::trim_blanks(raw);
  if (raw.starts_with('\'')) {
    const std::size_t end = raw.find('\'', 1);
    if (end == std::string_view::npos)
      return false;
    value = raw.substr(1, end - 1);
    return true;
  }
  if (raw.starts_with('"')) {
    value.clear();
    for (std::size_t i = 1; i < raw.size(); ++i) {
      const char c = raw[i];
      if (c == '"')
        return true;
      if (c == '\\' && i + 1 < raw.size()) {
        const char next = raw[++i];
        value += next == 'n' ? '\n' : next;
        continue;
      }
      value += c;
    }
    return false;
  }
  const std::size_t comment = raw.find(" #");
  value = detail::trim_blanks(raw.substr(0, comment));
  return true;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_env_file(std::string_view text,
                                                                const std::string& path) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = detail::trim_blanks(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.starts_with('#'))
      continue;
    if (line.starts_with("export "))
      line = detail::trim_blanks(line.substr(7));
    const std::size_t equals = line.find('=');
    const std::string_view key = detail::trim_blanks(
        line.substr(0, equals == std::string_view::npos ? line.size() : equals));
    std::string value;
    if (equals == std::string_view::npos || !is_key(key) ||
        !parse_value(line.substr(equals + 1), value)) {
      throw ConfigurationError(path + ":" + std::to_string(line_number) +
                               ": expected KEY=VALUE (a quoted value must end with its quote)");
    }
    pairs.emplace_back(std::string{key}, std::move(value));
  }
  return pairs;
}

void load_env_file(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    return;
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  if (!in)
    throw ConfigurationError("cannot read " + path.string());
  for (const auto& [key, value] : parse_env_file(text.str(), path.string())) {
    // setenv because libpq and pg_dump read PG* from the process environment themselves.
    ::setenv(key.c_str(), value.c_str(), 0);
  }
}

}  // namespace strata::cli
