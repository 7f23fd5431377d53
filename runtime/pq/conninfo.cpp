// Connection strings: libpq's parse, and the redacted form rebuilt from it.
#include "pq/conninfo.hpp"

#include <vector>

namespace strata::pq {
namespace {

constexpr std::string_view unparsable = "<unparsable connection string>";

std::string_view url_scheme(std::string_view conninfo) noexcept {
  for (const std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (conninfo.starts_with(scheme))
      return scheme;
  }
  return {};
}

// libpq's own test (recognized_connection_string): a dbname holding a URL or a `=` is expanded.
bool is_connection_string(std::string_view value) noexcept {
  return !url_scheme(value).empty() || value.find('=') != std::string_view::npos;
}

bool is_libpq_keyword(std::string_view word) {
  const ConninfoOptions defaults{PQconndefaults()};
  for (const PQconninfoOption* option = defaults.get(); option != nullptr && option->keyword;
       ++option) {
    if (word == option->keyword)
      return true;
  }
  return false;
}

// libpq's parse errors quote what they stumbled on: a percent-encoded token (a password), or the
// whole URL. Only a quoted keyword or a single character is kept.
std::string without_quoted_text(std::string_view message) {
  std::string out;
  std::size_t pos = 0;
  while (pos < message.size()) {
    const std::size_t open = message.find('"', pos);
    const std::size_t close = open == std::string_view::npos ? open : message.find('"', open + 1);
    if (close == std::string_view::npos) {
      out += message.substr(pos);
      break;
    }
    const std::string_view quoted = message.substr(open + 1, close - open - 1);
    out += message.substr(pos, open - pos);
    out += quoted.size() == 1 || is_libpq_keyword(quoted) ? "\"" + std::string{quoted} + "\""
                                                          : std::string{"\"(not shown)\""};
    pos = close + 1;
  }
  return out;
}

std::string percent_encoded(std::string_view text) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4U];
      out += hex[byte & 15U];
    }
  }
  return out;
}

std::vector<std::string_view> split_commas(std::string_view list) {
  std::vector<std::string_view> parts;
  for (std::size_t pos = 0;;) {
    const std::size_t comma = list.find(',', pos);
    parts.push_back(list.substr(pos, comma - pos));
    if (comma == std::string_view::npos)
      return parts;
    pos = comma + 1;
  }
}

// What is printed for a value that is not a secret: itself, or a dbname that is a connection
// string redacted in its turn.
std::string shown(std::string_view keyword, std::string_view value) {
  if (keyword == "dbname" && is_connection_string(value))
    return redact(value);
  return std::string{value};
}

const char* value_of(const PQconninfoOption* options, std::string_view keyword) {
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (keyword == option->keyword)
      return option->val;
  }
  return nullptr;
}

// scheme://user:***@host:port,host:port/dbname?keyword=value&...
std::string as_url(std::string_view scheme, const PQconninfoOption* options) {
  const char* user = value_of(options, "user");
  const char* password = value_of(options, "password");
  const char* host = value_of(options, "host");
  const char* port = value_of(options, "port");
  const char* dbname = value_of(options, "dbname");
  std::string out{scheme};
  if (user != nullptr || password != nullptr) {
    out += percent_encoded(user != nullptr ? user : "");
    out += password != nullptr ? ":***@" : "@";
  }
  const std::vector<std::string_view> hosts =
      host != nullptr ? split_commas(host) : std::vector<std::string_view>{};
  const std::vector<std::string_view> ports =
      port != nullptr ? split_commas(port) : std::vector<std::string_view>{};
  const bool ports_in_authority =
      port == nullptr || (host != nullptr && ports.size() == hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (i > 0)
      out += ',';
    const bool ipv6 = hosts[i].find(':') != std::string_view::npos;
    out += ipv6 ? "[" + std::string{hosts[i]} + "]" : percent_encoded(hosts[i]);
    if (ports_in_authority && port != nullptr && !ports[i].empty())
      out += ":" + std::string{ports[i]};
  }
  if (dbname != nullptr)
    out += "/" + percent_encoded(shown("dbname", dbname));
  char separator = '?';
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    const std::string_view keyword{option->keyword};
    const bool in_authority = keyword == "user" || keyword == "password" || keyword == "host" ||
                              keyword == "dbname" || (keyword == "port" && ports_in_authority);
    if (option->val == nullptr || in_authority)
      continue;
    out += separator;
    out += std::string{keyword} + "=" +
           (is_secret(*option) ? "***" : percent_encoded(shown(keyword, option->val)));
    separator = '&';
  }
  return out;
}

std::string as_key_value(const PQconninfoOption* options) {
  std::string out;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr)
      continue;
    if (!out.empty())
      out += ' ';
    out += std::string{option->keyword} + "=" +
           (is_secret(*option) ? std::string{"***"}
                               : key_value_literal(shown(option->keyword, option->val)));
  }
  return out;
}

}  // namespace

ConninfoOptions parse_conninfo_options(std::string_view conninfo, std::string& error) {
  char* message = nullptr;
  ConninfoOptions options{PQconninfoParse(std::string{conninfo}.c_str(), &message)};
  if (!options) {
    const std::string_view text = message != nullptr ? message : "out of memory";
    error = without_quoted_text(text.substr(0, text.find('\n')));
  }
  PQfreemem(message);
  return options;
}

std::string key_value_literal(std::string_view value) {
  if (!value.empty() && value.find_first_of(" \t\n\r\f\v'\\") == std::string_view::npos)
    return std::string{value};
  std::string out{"'"};
  for (const char c : value) {
    if (c == '\'' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "'";
}

bool is_secret(const PQconninfoOption& option) noexcept {
  return option.dispchar != nullptr && std::string_view{option.dispchar} == "*";
}

std::string redact(std::string_view conninfo) {
  std::string error;
  const ConninfoOptions options = parse_conninfo_options(conninfo, error);
  if (!options)
    return std::string{unparsable};
  const std::string_view scheme = url_scheme(conninfo);
  return scheme.empty() ? as_key_value(options.get()) : as_url(scheme, options.get());
}

}  // namespace strata::pq
