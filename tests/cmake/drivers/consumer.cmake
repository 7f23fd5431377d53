# cmake.consumer.*: configure and build tests/cmake/consumer with strata obtained one way
# (-DMODE=installed|build_tree|subdirectory|fetchcontent), run it, and compare what it embedded
# with `strata check --list` on the same folders.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

set(source "${TESTS_DIR}/consumer")
set(binary "${WORK}/build")
if(MODE STREQUAL "installed")
  set(args -DSTRATA_CONSUME=package "-DCMAKE_PREFIX_PATH=${PREFIX}")
  set(expected_package "${PREFIX}/lib/cmake/strata")
elseif(MODE STREQUAL "build_tree")
  set(args -DSTRATA_CONSUME=package "-Dstrata_DIR=${STRATA_BUILD_DIR}")
  set(expected_package "${STRATA_BUILD_DIR}")
elseif(MODE STREQUAL "subdirectory" OR MODE STREQUAL "fetchcontent")
  # Only the consumer and what it needs; strata's own tests and examples stay out.
  set(args "-DSTRATA_CONSUME=${MODE}" "-DSTRATA_SOURCE_DIR=${STRATA_SOURCE_DIR}"
           -DSTRATA_BUILD_TESTS=OFF -DSTRATA_BUILD_EXAMPLES=OFF)
  if(MODE STREQUAL "fetchcontent")
    # Compiling strata costs minutes on two cores. add_subdirectory covers the in-tree compiler;
    # here the host's strata (STRATA_EXECUTABLE) and no CLI leave only strata::runtime to build.
    list(APPEND args "-DSTRATA_EXECUTABLE=${STRATA}" -DCONSUMER_LINK_CLI=OFF)
    set(unbuilt_tool "${binary}/_deps/strata-build/generator/strata")
  endif()
else()
  strata_test_fail("MODE must be installed, build_tree, subdirectory or fetchcontent")
endif()

strata_test_configure(rc log "${source}" "${binary}" ${args})
strata_test_must("configure" "${rc}" "${log}")
if(DEFINED expected_package)
  # Guard against finding some other strata (a system one, the user package registry).
  cmake_path(NORMAL_PATH expected_package)
  strata_test_regex_escape("${expected_package}" expected)
  if(NOT log MATCHES "strata package: ${expected}/?\n")
    strata_test_fail("find_package(strata) did not use ${expected_package}:\n${log}")
  endif()
endif()

strata_test_build("${binary}" --target consumer)
if(DEFINED unbuilt_tool AND EXISTS "${unbuilt_tool}")
  strata_test_fail("STRATA_EXECUTABLE was set, yet the in-tree strata was built: ${unbuilt_tool}")
endif()
strata_test_compare("${binary}/consumer" "${source}/migrations" "${source}/routines" lines
                    --ignore "seed_*.sql")
message(STATUS "consumer (${MODE}) embedded:\n${lines}")

if(MODE STREQUAL "subdirectory")
  # The step DEPENDS on the in-tree compiler's file: a newer `strata` regenerates.
  set(tool "${binary}/strata/generator/strata")
  if(NOT EXISTS "${tool}")
    strata_test_fail("the in-tree strata is not at ${tool}")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
  file(TOUCH "${tool}")
  strata_test_build("${binary}" --target consumer)
  if(NOT STRATA_TEST_LOG MATCHES "strata: compiling migrations of app_db")
    strata_test_fail("a newer in-tree strata did not regenerate app_db:\n${STRATA_TEST_LOG}")
  endif()
endif()
