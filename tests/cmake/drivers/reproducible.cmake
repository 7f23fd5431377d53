# cmake.reproducible: the same consumer project, copied into two different folders and built in
# two different build folders, must generate byte-identical code, and neither program may carry
# a path of the machine that built it (its source or build folder).
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

file(REMOVE_RECURSE "${WORK}")
set(generated "")
foreach(copy IN ITEMS first second-copy)
  set(source "${WORK}/${copy}/project")
  set(binary "${WORK}/${copy}/build-${copy}")
  file(COPY "${TESTS_DIR}/consumer/" DESTINATION "${source}")
  # Release: no debug information, whose file names are the compiler's business, not strata's.
  strata_test_configure(rc log "${source}" "${binary}" -DSTRATA_CONSUME=package
                        "-Dstrata_DIR=${STRATA_BUILD_DIR}" -DCMAKE_BUILD_TYPE=Release)
  strata_test_must("configure of ${copy}" "${rc}" "${log}")
  strata_test_build("${binary}" --target consumer)

  foreach(file IN ITEMS app_db.cpp app_db.hpp)
    file(READ "${binary}/app_db/${file}" content)
    foreach(folder IN ITEMS "${WORK}" "${source}" "${binary}")
      string(FIND "${content}" "${folder}" at)
      if(NOT at EQUAL -1)
        strata_test_fail("the generated ${file} of ${copy} holds the build path ${folder}:\n",
                         "${content}")
      endif()
    endforeach()
  endforeach()
  file(SHA256 "${binary}/app_db/app_db.cpp" unit_hash)
  file(SHA256 "${binary}/app_db/app_db.hpp" header_hash)
  list(APPEND generated "${unit_hash}/${header_hash}")

  strata_test_regex_escape("${WORK}" work_pattern)
  file(STRINGS "${binary}/consumer" paths REGEX "${work_pattern}")
  if(paths)
    strata_test_fail("the consumer program built in ${binary} holds build paths: ${paths}")
  endif()
endforeach()

list(GET generated 0 first)
list(GET generated 1 second)
if(NOT first STREQUAL second)
  strata_test_fail("the generated app_db.cpp/app_db.hpp differ between two folders: ${generated}")
endif()
