// Connection strings rewritten through libpq's parser (see conninfo_text.hpp).
#include "pq/conninfo_text.hpp"

#include <algorithm>

#include <strata/error.hpp>

#include "pq/connection.hpp"
#include "pq/conninfo.hpp"

namespace strata::pq {
namespace {

ConninfoOptions parsed(std::string_view conninfo) {
  std::string error;
  ConninfoOptions options = parse_conninfo_options(conninfo, error);
  if (!options)
    throw ConfigurationError("invalid connection string: " + error);
  return options;
}

}  // namespace

std::string rewrite_conninfo(std::string_view conninfo,
                             const std::vector<std::pair<std::string, std::string>>& overrides) {
  const ConninfoOptions options = parsed(conninfo);
  std::vector<bool> used(overrides.size(), false);
  std::string out;
  const auto append = [&out](std::string_view keyword, std::string_view value) {
    if (!out.empty())
      out += ' ';
    out.append(keyword).append("=").append(key_value_literal(value));
  };
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    const auto override_it =
        std::find_if(overrides.begin(), overrides.end(),
                     [option](const auto& pair) { return pair.first == option->keyword; });
    if (override_it != overrides.end()) {
      used[static_cast<std::size_t>(override_it - overrides.begin())] = true;
      append(option->keyword, override_it->second);
    } else if (option->val != nullptr) {
      append(option->keyword, option->val);
    }
  }
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    if (!used[i])
      append(overrides[i].first, overrides[i].second);
  }
  return out;
}

std::string conninfo_value(std::string_view conninfo, std::string_view keyword) {
  const ConninfoOptions options = parsed(conninfo);
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val != nullptr && keyword == option->keyword)
      return option->val;
  }
  return "";
}

}  // namespace strata::pq
