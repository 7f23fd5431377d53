# cmake.bad_migration: a consumer whose folder holds a malformed migration must fail to build, and
# the build log must carry the compiler's `/absolute/path.sql:line:col: error:` line for it.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

set(binary "${WORK}/build")
set(migrations "${TESTS_DIR}/bad_migration/migrations")
strata_test_configure(rc log "${TESTS_DIR}/consumer" "${binary}" -DSTRATA_CONSUME=package
                      "-Dstrata_DIR=${STRATA_BUILD_DIR}" "-DMIGRATIONS=${migrations}")
strata_test_must("configure" "${rc}" "${log}")

strata_test_run(rc log "${CMAKE_COMMAND}" --build "${binary}")
strata_test_regex_escape("${migrations}/20240102000000_broken.sql" broken)
if(rc EQUAL 0)
  strata_test_fail("the build succeeded; a malformed migration must fail it:\n${log}")
elseif(NOT log MATCHES "(^|\n)${broken}:${LINE}:${COLUMN}: error: ")
  strata_test_fail("the build failed without `${migrations}/20240102000000_broken.sql:${LINE}:"
                   "${COLUMN}: error:`:\n${log}")
endif()
# No half-written outputs: the next build must run the compiler again.
if(EXISTS "${binary}/app_db/app_db.cpp" OR EXISTS "${binary}/app_db/app_db.hpp")
  strata_test_fail("the failed compile left outputs in ${binary}/app_db")
endif()
