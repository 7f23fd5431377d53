// Owning wrappers over libpg_query results.
#include "check/pg_query.hpp"

#include <new>

#include <pg_query.h>

#include "check/large_stack.hpp"
#include "check/nesting.hpp"

namespace strata::generator {
namespace {

// Frees a libpg_query result struct on scope exit; the free functions take it by value.
template <typename Result, void (*Free)(Result)>
class Owned {
 public:
  explicit Owned(Result result) noexcept : m_result(result) {}
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() { Free(m_result); }
  [[nodiscard]] const Result& operator*() const noexcept { return m_result; }
  [[nodiscard]] const Result* operator->() const noexcept { return &m_result; }

 private:
  Result m_result;
};

using OwnedParse = Owned<PgQueryParseResult, pg_query_free_parse_result>;
using OwnedPlpgsql = Owned<PgQueryPlpgsqlParseResult, pg_query_free_plpgsql_parse_result>;
using OwnedSplit = Owned<PgQuerySplitResult, pg_query_free_split_result>;

ParseError to_error(const PgQueryError& error) {
  // The parser's own allocator failed: not a verdict on the SQL.
  if (error.message != nullptr && std::string_view{error.message} == "out of memory")
    throw std::bad_alloc{};
  ParseError result{error.message != nullptr ? error.message : "syntax error",
                    error.cursorpos > 0 ? static_cast<std::size_t>(error.cursorpos) : 0};
  // "compilation of PL/pgSQL function "f" near line 3"
  const std::string_view context = error.context != nullptr ? error.context : "";
  constexpr std::string_view near_line = " near line ";
  if (const std::size_t at = context.rfind(near_line); at != std::string_view::npos) {
    for (std::size_t i = at + near_line.size();
         i < context.size() && context[i] >= '0' && context[i] <= '9'; ++i) {
      result.line = result.line * 10 + static_cast<std::size_t>(context[i] - '0');
    }
  }
  return result;
}

ParseOutcome parse_on_this_stack(std::string_view sql) {
  const std::string text{sql};  // NUL-terminated copy
  const OwnedParse result{pg_query_parse(text.c_str())};
  if (result->error != nullptr)
    return ParseOutcome{std::nullopt, to_error(*result->error)};
  auto tree = json::Document::parse(result->parse_tree != nullptr ? result->parse_tree : "");
  if (!tree)
    return ParseOutcome{std::nullopt, ParseError{"unreadable parse tree", 0}};
  return ParseOutcome{std::move(tree), std::nullopt};
}

}  // namespace

ParseOutcome parse_sql(std::string_view sql) {
  const Nesting nesting = estimate_nesting(sql);
  if (nesting.depth > max_nesting) {
    // What the server answers; at the statement, counted in characters like a parser's cursor.
    std::size_t characters = 1;
    for (std::size_t i = 0; i < nesting.statement; ++i)
      characters += (static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80 ? 1 : 0;
    return ParseOutcome{std::nullopt, ParseError{std::string{too_deep_message}, characters}};
  }
  if (nesting.depth <= shallow_nesting)
    return parse_on_this_stack(sql);
  ParseOutcome outcome;
  run_on_large_stack(large_stack_bytes, [&] { outcome = parse_on_this_stack(sql); });
  return outcome;
}

std::optional<ParseError> check_syntax(std::string_view sql) {
  const std::string text{sql};
  const OwnedSplit result{pg_query_split_with_parser(text.c_str())};
  if (result->error == nullptr)
    return std::nullopt;
  return to_error(*result->error);
}

std::optional<ParseError> parse_plpgsql(std::string_view statement) {
  const std::string text{statement};
  const OwnedPlpgsql result{pg_query_parse_plpgsql(text.c_str())};
  if (result->error == nullptr)
    return std::nullopt;
  return to_error(*result->error);
}

}  // namespace strata::generator
