// Connection strings rewritten through libpq's own parser, so a URL and a key=value string are
// handled alike and a value is never cut at the wrong place by string matching.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::pq {

// `conninfo` (URL or key=value) as a key=value string with each of `overrides` replacing the
// keyword of the same name, or added when absent. Throws ConfigurationError when libpq cannot
// parse `conninfo` (the message never contains it).
[[nodiscard]] std::string rewrite_conninfo(
    std::string_view conninfo, const std::vector<std::pair<std::string, std::string>>& overrides);

// The value of `keyword` in `conninfo` as libpq parses it; "" when absent. Throws
// ConfigurationError when libpq cannot parse `conninfo`.
[[nodiscard]] std::string conninfo_value(std::string_view conninfo, std::string_view keyword);

}  // namespace strata::pq
