// Connection strings as the CLI sees them: which one is in effect, its redacted form, the
// database it names, the maintenance connection used by create/drop, and the secrets that must
// never reach the output.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::cli {

// --url when given, else DATABASE_URL when set and non-empty, else "" (libpq's PG* defaults).
[[nodiscard]] std::string effective_conninfo(const std::optional<std::string>& url);

// The parts of a connection string the CLI needs, with libpq's environment fallbacks applied for
// the database name (PGDATABASE, then the user name). Throws ConfigurationError when libpq cannot
// parse `conninfo` (the message never contains it).
struct ConninfoParts {
  std::string database;         // the database the string connects to
  bool database_named = false;  // by the string or PGDATABASE, not libpq's user-name default
  std::string password;         // "" when the string holds none
  std::string sslpassword;      // "" when the string holds none
  // `conninfo` as a key=value string, with `dbname` replaced by `database` (when non-empty) and
  // the secrets (password, sslpassword) kept only when `with_secrets`.
  [[nodiscard]] std::string rebuilt(std::string_view database, bool with_secrets) const;
  std::vector<std::pair<std::string, std::string>> pairs;  // every keyword given explicitly
};
[[nodiscard]] ConninfoParts parse_conninfo(std::string_view conninfo);

// The secrets (password, sslpassword) of every connection string in `candidates` that holds one
// (argv tokens, the environment), so output can be scrubbed of them even where no redaction was
// planned.
[[nodiscard]] std::vector<std::string> secrets_in(const std::vector<std::string>& candidates);

}  // namespace strata::cli
