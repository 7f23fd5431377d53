// Connection strings through libpq's own parser: every URL and key=value form is taken apart by
// PQconninfoParse, and what strata prints is rebuilt from the parsed options with every secret
// (libpq marks them: password, sslpassword) replaced by `***`. Nothing here searches printed text
// for a password: a spelling the search did not foresee (a `?` inside the password, a
// percent-encoded key) would slip through.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <libpq-fe.h>

namespace strata::pq {

struct ConninfoDeleter {
  void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};
using ConninfoOptions = std::unique_ptr<PQconninfoOption, ConninfoDeleter>;

// libpq's own parse of a URL or key=value string (the keyword array ends with a null keyword).
// Returns nullptr when it does not parse, with the first line of libpq's message in `error`;
// fragments of the string that libpq quotes in its message are shown only when they are a libpq
// keyword (libpq quotes whole URLs and percent-encoded tokens, password included).
[[nodiscard]] ConninfoOptions parse_conninfo_options(std::string_view conninfo, std::string& error);

// Whether libpq displays the option as a secret (PQconninfoOption::dispchar "*").
[[nodiscard]] bool is_secret(const PQconninfoOption& option) noexcept;

// `value` as a key=value value: as is, or in single quotes with ' and \ escaped when libpq needs
// them (empty, spaces, quotes, backslashes).
[[nodiscard]] std::string key_value_literal(std::string_view value);

// `conninfo` rebuilt from libpq's parse in the same form (URL or key=value), every secret shown as
// `***`. A string libpq cannot parse is replaced whole by "<unparsable connection string>" rather
// than risk printing a password. A `dbname` that is itself a connection string is redacted too.
[[nodiscard]] std::string redact(std::string_view conninfo);

}  // namespace strata::pq
