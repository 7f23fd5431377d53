// How deeply a statement nests, estimated from its text before it is parsed.
//
// libpg_query turns a parse tree into JSON recursively, and strata reads and walks that JSON
// recursively too, so a statement nested deeply enough (an expression of 100,000 terms) would
// overflow the stack. The server refuses such statements as well ("stack depth limit
// exceeded"): with its default max_stack_depth of 2MB, PostgreSQL 15 accepts about 4,000 `+`
// terms in one expression and about 7,000 UNION ALL branches. strata accepts nesting up to
// max_nesting (well past both), parses anything nested more than fits the calling thread's stack
// on a thread with a large one, and refuses the rest with the server's message.
#pragma once

#include <cstddef>
#include <string_view>

namespace strata::generator {

// Nesting accepted: an expression of this many terms, a UNION of this many branches.
inline constexpr std::size_t max_nesting = 25'000;
// Nesting a default (8 MiB) thread stack parses and walks without a large stack.
inline constexpr std::size_t shallow_nesting = 1'000;

struct Nesting {
  std::size_t depth = 0;      // the deepest statement's estimated parse-tree depth
  std::size_t statement = 0;  // bytes: where that statement starts
};

// An estimate of the parse-tree depth of the deepest statement of `sql`: one level per operator
// in a chain (`1+1+1`), per set operation (UNION, INTERSECT, EXCEPT) and per parenthesis; what
// the parser keeps flat (AND/OR chains, lists, VALUES rows) counts once. Linear in the text;
// allocates only per open parenthesis.
// Throws std::bad_alloc.
[[nodiscard]] Nesting estimate_nesting(std::string_view sql);

}  // namespace strata::generator
