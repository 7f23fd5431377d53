// C++ string literals for arbitrary SQL text: readable (a source line per SQL line, printable
// ASCII kept), exact (every other byte as a 3-digit octal escape, which cannot run into the
// next character the way a greedy \x escape does), and warning-free (no `??` trigraph pairs).
#pragma once

#include <string>
#include <string_view>

namespace strata::generator {

// The literal(s) for `text`: `"line one\n"` pieces joined by a newline and `indent`, or `""`.
[[nodiscard]] std::string cpp_string_literal(std::string_view text, std::string_view indent = "");

}  // namespace strata::generator
