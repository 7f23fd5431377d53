// What libpg_query's PL/pgSQL compiler cannot know, supplied from the statement itself.
//
// The compiler runs without the catalog: every variable's type is "unknown" to it, so it rejects
// valid code whose validity depends on a type (a field of a row variable, a cursor variable), and
// it ignores what the signature says (OUT parameters, unnamed parameters). A static check may
// only report what is certain without a database, so before compiling, the body is rewritten into
// an equivalent the compiler accepts wherever the statement shows the construct is valid: the
// signature (parameters, OUT and RETURNS TABLE columns) and the body's own declarations (cursors,
// refcursor, row and record variables). Whatever the statement cannot vouch for is left as
// written, so real mistakes (an undeclared name, a scalar with a field) are still reported.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::generator::plpgsql {

// What a variable's declared type tells without the catalog.
enum class TypeClass : unsigned char {
  scalar,     // a built-in scalar type (int, text, …) or an array of one: has no fields
  cursor,     // refcursor, or declared CURSOR
  composite,  // record, %ROWTYPE, a table or composite type name: fields need the catalog
  unknown,    // %TYPE, an alias: could be anything
};

// The class of a type spelled as `words` (lowercased, schema dropped: {"double","precision"},
// {"refcursor"}); `copies_type` for `x%TYPE`.
[[nodiscard]] TypeClass classify_type(const std::vector<std::string>& words, bool copies_type);

struct Parameter {
  std::string name;  // empty when unnamed
  std::string mode;  // "" (IN), "OUT", "INOUT", "VARIADIC", or "TABLE" (a RETURNS TABLE column)
  TypeClass type = TypeClass::unknown;
};

// The routine's signature, as the CREATE statement spells it.
struct Signature {
  enum class Kind : unsigned char { function, procedure, do_block };
  Kind kind = Kind::do_block;
  std::vector<Parameter> parameters;  // in order; $n is parameters[n - 1]
  bool returns_set = false;
  bool returns_trigger = false;
  [[nodiscard]] bool has_out_parameters() const noexcept;  // OUT, INOUT or TABLE columns
};

// The body rewritten as described above. Every line break stays where it was, so a line number
// the compiler reports is a line of `body`.
[[nodiscard]] std::string prepare_body(std::string_view body, const Signature& signature);

// The statement to hand the compiler: the signature with every parameter named (libpg_query
// knows `$n` only for named parameters), the prepared body dollar-quoted. The body's line
// numbers are unchanged.
[[nodiscard]] std::string statement_for_compiler(std::string_view body, const Signature& signature);

}  // namespace strata::generator::plpgsql
