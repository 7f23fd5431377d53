# cmake.cross_build: a cross build (CMAKE_SYSTEM_NAME set, so CMAKE_CROSSCOMPILING) cannot run the
# package's strata::strata: add_migrations() must stop configure and name STRATA_EXECUTABLE; with
# STRATA_EXECUTABLE pointing at a host strata, the consumer builds and embeds the right set.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

set(source "${TESTS_DIR}/consumer")
set(cross_args -DSTRATA_CONSUME=package "-Dstrata_DIR=${STRATA_BUILD_DIR}"
               "-DCMAKE_SYSTEM_NAME=${CMAKE_HOST_SYSTEM_NAME}")

strata_test_configure(rc log "${source}" "${WORK}/without" ${cross_args})
strata_test_unwrap(log)
if(rc EQUAL 0)
  strata_test_fail("a cross build without STRATA_EXECUTABLE configured:\n${log}")
elseif(NOT log MATCHES "add_migrations\\(app_db\\): cross-compiling[^\n]* STRATA_EXECUTABLE ")
  strata_test_fail("a cross build without STRATA_EXECUTABLE failed without naming it:\n${log}")
endif()

strata_test_configure(rc log "${source}" "${WORK}/with" ${cross_args}
                      "-DSTRATA_EXECUTABLE=${STRATA}")
strata_test_must("configure with STRATA_EXECUTABLE" "${rc}" "${log}")
strata_test_build("${WORK}/with" --target consumer)
strata_test_compare("${WORK}/with/consumer" "${source}/migrations" "${source}/routines" lines
                    --ignore "seed_*.sql")
