# Build-time step: turns the code templates into C++ string literals compiled into the strata
# tool, so it never looks for template files at run time.
# Arguments: -DHEADER=<migrations.hpp.in> -DSOURCE=<migrations.cpp.in> -DOUTPUT=<file.cpp>
file(READ "${HEADER}" header_text)
file(READ "${SOURCE}" source_text)
foreach(text IN ITEMS "${header_text}" "${source_text}")
  string(FIND "${text}" ")strata_template\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "a template contains the raw-string delimiter )strata_template\"")
  endif()
endforeach()
file(WRITE "${OUTPUT}"
  "// Generated from templates/ by emit/embed_templates.cmake — do not edit.\n"
  "#include \"emit/templates.hpp\"\n\n"
  "namespace strata::generator::templates {\n"
  "extern const std::string_view header;\n"
  "extern const std::string_view source;\n"
  "const std::string_view header = R\"strata_template(${header_text})strata_template\";\n"
  "const std::string_view source = R\"strata_template(${source_text})strata_template\";\n"
  "}  // namespace strata::generator::templates\n")
