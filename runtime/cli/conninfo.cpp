// Connection strings: picking the one in effect and taking it apart with libpq's own parser, so
// URLs and key=value strings are handled alike.
#include "conninfo.hpp"

#include <cstdlib>
#include <memory>
#include <pwd.h>
#include <unistd.h>

#include <strata/error.hpp>

#include "pq/connection.hpp"

namespace strata::cli {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string os_user() {
  if (const passwd* entry = ::getpwuid(::geteuid()); entry != nullptr)
    return entry->pw_name;
  return "";
}

}  // namespace

std::string effective_conninfo(const std::optional<std::string>& url) {
  if (url)
    return *url;
  return env("DATABASE_URL");
}

ConninfoParts parse_conninfo(std::string_view conninfo) {
  ConninfoParts parts;
  std::string error;
  const pq::ConninfoOptions options = pq::parse_conninfo_options(conninfo, error);
  if (!options) {
    // parse_conninfo_options keeps libpq's first line without the fragments libpq quotes.
    throw ConfigurationError("invalid connection string: " + error);
  }
  std::string user;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr)
      continue;
    const std::string_view keyword{option->keyword};
    if (keyword == "password")
      parts.password = option->val;
    if (keyword == "sslpassword")
      parts.sslpassword = option->val;
    if (keyword == "dbname")
      parts.database = option->val;
    if (keyword == "user")
      user = option->val;
    parts.pairs.emplace_back(option->keyword, option->val);
  }
  if (parts.database.empty())
    parts.database = env("PGDATABASE");
  parts.database_named = !parts.database.empty();
  if (user.empty())
    user = env("PGUSER");
  if (user.empty())
    user = os_user();
  if (parts.database.empty())
    parts.database = user;
  return parts;
}

std::string ConninfoParts::rebuilt(std::string_view database, bool with_secrets) const {
  std::string out;
  bool has_dbname = false;
  for (const auto& [keyword, value] : pairs) {
    if ((keyword == "password" || keyword == "sslpassword") && !with_secrets)
      continue;
    if (!out.empty())
      out += ' ';
    out += keyword + '=';
    if (keyword == "dbname" && !database.empty()) {
      out += pq::key_value_literal(database);
      has_dbname = true;
    } else {
      out += pq::key_value_literal(value);
    }
  }
  if (!has_dbname && !database.empty())
    out += (out.empty() ? "" : " ") + ("dbname=" + pq::key_value_literal(database));
  return out;
}

std::vector<std::string> secrets_in(const std::vector<std::string>& candidates) {
  std::vector<std::string> secrets;
  for (const std::string& candidate : candidates) {
    std::string_view conninfo{candidate};
    if (conninfo.starts_with("--url="))
      conninfo.remove_prefix(6);
    if (conninfo.find("://") == std::string_view::npos &&
        conninfo.find("password") == std::string_view::npos) {
      continue;
    }
    try {
      ConninfoParts parts = parse_conninfo(conninfo);
      for (std::string* secret : {&parts.password, &parts.sslpassword}) {
        if (!secret->empty())
          secrets.push_back(std::move(*secret));
      }
    } catch (const ConfigurationError&) {
      // libpq cannot parse it; a URL's user:password@ is still worth hiding.
      const std::size_t authority = conninfo.find("://");
      const std::size_t at = conninfo.find('@');
      if (authority == std::string_view::npos || at == std::string_view::npos)
        continue;
      const std::size_t colon = conninfo.find(':', authority + 3);
      if (colon < at)
        secrets.emplace_back(conninfo.substr(colon + 1, at - colon - 1));
    }
  }
  if (const std::string password = env("PGPASSWORD"); !password.empty())
    secrets.push_back(password);
  return secrets;
}

}  // namespace strata::cli
