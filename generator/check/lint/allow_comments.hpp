// Suppression comments: `-- strata:allow <rule-id> <reason>` silences one lint rule for the
// statement directly below it. Several may be stacked, one per line, in the block of comment
// lines that ends on the line just above the statement (no blank line in between). The reason is
// required: a suppression is a decision someone must be able to read later.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace strata::generator::lint {

struct AllowComment {
  std::size_t offset = 0;    // bytes into the section's text, at the comment's `--`
  std::string_view rule_id;  // the word after `strata:allow`; empty when none was written
  std::string_view reason;   // the rest of the line, trimmed; empty when none was written
};

// The allow comments directly above the statement whose first token is at `statement`, looking
// no further back than `floor` (the end of the previous statement). Views point into `text`.
[[nodiscard]] std::vector<AllowComment> allow_comments_above(std::string_view text,
                                                             std::size_t statement,
                                                             std::size_t floor);

// Every line of `text` that is an allow comment (its first token is `-- strata:allow`), so the
// linter can report those that sit above no statement.
[[nodiscard]] std::vector<AllowComment> all_allow_comments(std::string_view text);

}  // namespace strata::generator::lint
