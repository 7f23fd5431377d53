# cmake.bad_arguments: each misuse of add_migrations() in tests/cmake/bad_arguments must stop
# configure, and the message must name the culprit. One build folder per way of getting strata
# serves every case.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

# case|regular expression the configure output must match
set(context "add_migrations\\(app_db\\)")
set(cases
  "unknown_keyword|${context}: unknown argument \"NAMESPCE\""
  "misspelt_option_after_ignore|${context}: IGNORE \"WARNINGS_AS_ERROR\" can never match"
  "missing_directory|${context}: DIRECTORY <dir> is required"
  "directory_without_value|${context}: DIRECTORY needs a value"
  "no_such_directory|${context}: DIRECTORY \"no_such_folder\" is not a directory"
  "bad_namespace|${context}: NAMESPACE \"2fast\" is not a usable C\\+\\+ identifier"
  "keyword_namespace|${context}: NAMESPACE \"class\" is not a usable C\\+\\+ identifier"
  "no_such_lock_file|${context}: LOCK_FILE \"missing.lock\" is not a file"
  "target_exists|${context}: a target named \"app_db\" already exists"
  "namespaced_target|add_migrations\\(app::db\\): \"app::db\" is not a valid target name")
set(valid_case "valid|")

set(failures "")
# Every case through the package and through add_subdirectory (configure only, no build).
foreach(mode IN ITEMS package subdirectory)
  if(mode STREQUAL "package")
    set(mode_args "-Dstrata_DIR=${STRATA_BUILD_DIR}")
  else()
    set(mode_args "-DSTRATA_SOURCE_DIR=${STRATA_SOURCE_DIR}" -DSTRATA_BUILD_TESTS=OFF
                  -DSTRATA_BUILD_EXAMPLES=OFF)
  endif()
  foreach(entry IN LISTS cases valid_case)
    string(FIND "${entry}" "|" bar)
    string(SUBSTRING "${entry}" 0 ${bar} case)
    math(EXPR bar "${bar} + 1")
    string(SUBSTRING "${entry}" ${bar} -1 expected)
    strata_test_configure(rc log "${TESTS_DIR}/bad_arguments" "${WORK}/${mode}" ${mode_args}
                          "-DCASE=${case}")
    strata_test_unwrap(log)
    if(case STREQUAL "valid")
      # The same project with a correct call configures: each case fails for its argument alone.
      if(NOT rc EQUAL 0)
        string(APPEND failures "${mode}, valid: configure failed:\n${log}\n")
      endif()
    elseif(rc EQUAL 0)
      string(APPEND failures "${mode}, ${case}: configure succeeded\n")
    elseif(NOT log MATCHES "${expected}")
      string(APPEND failures "${mode}, ${case}: configure failed without /${expected}/:\n${log}\n")
    else()
      message(STATUS "${mode}, ${case}: refused as expected")
    endif()
  endforeach()
endforeach()
if(failures)
  strata_test_fail("${failures}")
endif()
