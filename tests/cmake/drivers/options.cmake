# cmake.options: WARNINGS_AS_ERRORS and the lock file reach the compiler. A lint warning is printed
# and the build goes on, until WARNINGS_AS_ERRORS makes it fail; <DIRECTORY>/migrations.lock is
# used by default (a released migration edited fails the build); LOCK_FILE replaces it.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

set(source "${WORK}/src")
set(binary "${WORK}/build")
set(migrations "${source}/migrations")
file(COPY "${TESTS_DIR}/consumer/" DESTINATION "${source}")

# build(<what> <expect: pass|fail> <regex>): build, check the outcome and that the log matches
# <regex>.
function(build what expect regex)
  strata_test_run(rc log "${CMAKE_COMMAND}" --build "${binary}")
  if(expect STREQUAL "pass" AND NOT rc EQUAL 0)
    strata_test_fail("${what}: the build failed:\n${log}")
  elseif(expect STREQUAL "fail" AND rc EQUAL 0)
    strata_test_fail("${what}: the build succeeded; expected it to fail:\n${log}")
  elseif(NOT log MATCHES "${regex}")
    strata_test_fail("${what}: the build log does not match /${regex}/:\n${log}")
  endif()
  message(STATUS "ok: ${what}")
endfunction()

# configure_and_build(<expect> <regex> [<cmake-arg>...]): reconfigure with the args, then build().
function(configure_and_build expect regex)
  strata_test_configure(rc log "${source}" "${binary}" -DSTRATA_CONSUME=package
                        "-Dstrata_DIR=${STRATA_BUILD_DIR}" -DCONSUMER_LINK_CLI=OFF ${ARGN})
  strata_test_must("configure ${ARGN}" "${rc}" "${log}")
  build("${expect} with ${ARGN}" "${expect}" "${regex}")
endfunction()

# A NOT NULL column without a default: strata-lint-add-column-not-null, a warning by default.
set(lint "${migrations}/20240103000000_add_age.sql")
file(WRITE "${lint}" "-- migrate:up\nALTER TABLE users ADD COLUMN age int NOT NULL;\n\n"
                     "-- migrate:down\nALTER TABLE users DROP COLUMN age;\n")
strata_test_regex_escape("${lint}" lint_regex)
configure_and_build(pass "${lint_regex}:2:1: warning: " -DCONSUMER_WARNINGS_AS_ERRORS=OFF)
configure_and_build(fail "${lint_regex}:2:1: error: " -DCONSUMER_WARNINGS_AS_ERRORS=ON)
file(REMOVE "${lint}")
configure_and_build(pass "" -DCONSUMER_WARNINGS_AS_ERRORS=OFF)

# A lock file in the folder, created after the first configure, that disagrees with a released
# migration: used without being named, and without re-running CMake by hand.
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
file(WRITE "${migrations}/migrations.lock" "# strata-lock 1\n20240101000000 "
           "0000000000000000000000000000000000000000000000000000000000000000\n")
strata_test_regex_escape("${migrations}/20240101000000_create_users.sql" edited_regex)
build("a lock file added to the folder" fail "${edited_regex}:[0-9]+:[0-9]+: error: ")

# LOCK_FILE names another file (relative to the consumer's source folder), which wins.
file(MAKE_DIRECTORY "${source}/release")
strata_test_run(rc log "${STRATA}" lock -d "${migrations}" --ignore "seed_*.sql"
                --lock "${source}/release/released.lock")
strata_test_must("strata lock" "${rc}" "${log}")
configure_and_build(pass "" -DCONSUMER_LOCK_FILE=release/released.lock)
strata_test_compare("${binary}/consumer" "${migrations}" "${source}/routines" lines
                    --ignore "seed_*.sql" --lock "${source}/release/released.lock")

# The generated code is the consumer's to compile but not to lint, and it stays out of unity
# builds: with a (recording) clang-tidy and CMAKE_UNITY_BUILD on, a clean build lints main.cpp
# only, and no unity source includes the generated table.
set(tidy "${WORK}/fake-clang-tidy")
file(WRITE "${tidy}" "#!/bin/sh\necho \"$*\" >> '${WORK}/tidy.log'\n")
file(CHMOD "${tidy}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
file(WRITE "${WORK}/tidy.log" "")
strata_test_configure(rc log "${source}" "${binary}" "-DCMAKE_CXX_CLANG_TIDY=${tidy}"
                      -DCMAKE_UNITY_BUILD=ON)
strata_test_must("configure with clang-tidy and unity builds" "${rc}" "${log}")
strata_test_build("${binary}" --clean-first)
file(READ "${WORK}/tidy.log" linted)
if(NOT linted MATCHES "/consumer\\.dir/" OR linted MATCHES "app_db\\.(cpp|dir)")
  strata_test_fail("clang-tidy should see the consumer's sources and never app_db.cpp; "
                   "it was run on:\n${linted}")
endif()
file(GLOB_RECURSE unity_sources "${binary}/CMakeFiles/*unity*.cxx")
foreach(unity_source IN LISTS unity_sources)
  file(READ "${unity_source}" text)
  if(text MATCHES "app_db\\.cpp")
    strata_test_fail("the generated table joined a unity source: ${unity_source}")
  endif()
endforeach()
message(STATUS "ok: generated code skipped by clang-tidy and unity builds")
