# cmake.components: find_package(strata COMPONENTS bogus) names the unknown component, and the
# known ones are found (against the build tree as a package).
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

file(REMOVE_RECURSE "${WORK}")
foreach(case bogus known)
  if(case STREQUAL "bogus")
    set(components "runtime bogus")
  else()
    set(components "runtime tool")
  endif()
  file(WRITE "${WORK}/${case}/CMakeLists.txt"
       "cmake_minimum_required(VERSION 3.25)\n"
       "project(components_${case} LANGUAGES CXX)\n"
       "find_package(strata REQUIRED COMPONENTS ${components})\n")
  strata_test_configure(rc log "${WORK}/${case}" "${WORK}/${case}/build"
                        "-Dstrata_DIR=${STRATA_BUILD_DIR}")
  strata_test_unwrap(log)
  if(case STREQUAL "bogus")
    if(rc EQUAL 0 OR NOT log MATCHES "strata has no component \"bogus\"")
      strata_test_fail("find_package(strata COMPONENTS bogus) did not name the component:\n${log}")
    endif()
  else()
    strata_test_must("find_package(strata COMPONENTS runtime tool)" "${rc}" "${log}")
  endif()
endforeach()
