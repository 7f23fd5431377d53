# cmake.locked_edit: a consumer whose migrations.lock records a migration that was edited after
# it was released must fail to build, with the compiler's `/absolute/path.sql:line:col: error:`
# line for that file (strata-E501, both checksums) in the build log.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

set(binary "${WORK}/build")
set(migrations "${TESTS_DIR}/locked_edit/migrations")
strata_test_configure(rc log "${TESTS_DIR}/consumer" "${binary}" -DSTRATA_CONSUME=package
                      "-Dstrata_DIR=${STRATA_BUILD_DIR}" "-DMIGRATIONS=${migrations}")
strata_test_must("configure" "${rc}" "${log}")

strata_test_run(rc log "${CMAKE_COMMAND}" --build "${binary}")
strata_test_regex_escape("${migrations}/20240101000000_create_users.sql" edited)
set(expected "(^|\n)${edited}:3:1: error: migration 20240101000000 changed after it was released: "
             "migrations\\.lock:2 locks sha256:[0-9a-f]+, the file now has sha256:[0-9a-f]+ "
             "\\[strata-E501\\]")
string(CONCAT expected ${expected})
if(rc EQUAL 0)
  strata_test_fail("the build succeeded; an edited locked migration must fail it:\n${log}")
elseif(NOT log MATCHES "${expected}")
  strata_test_fail("the build failed without the E501 error at "
                   "${migrations}/20240101000000_create_users.sql:3:1:\n${log}")
elseif(NOT log MATCHES "hint: a released migration must not change")
  strata_test_fail("the build log lacks the hint that a released migration must not change:\n"
                   "${log}")
endif()
if(EXISTS "${binary}/app_db/app_db.cpp")
  strata_test_fail("the failed compile left outputs in ${binary}/app_db")
endif()
