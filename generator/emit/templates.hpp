// The code templates (templates/*.in), embedded into the tool at build time.
// Placeholders: @NAMESPACE@, @SOURCE@, @STRATA_VERSION@, @COUNT@, @BODIES@, @TABLE@.
#pragma once

#include <string_view>

namespace strata::generator::templates {

extern const std::string_view header;  // templates/migrations.hpp.in
extern const std::string_view source;  // templates/migrations.cpp.in

}  // namespace strata::generator::templates
