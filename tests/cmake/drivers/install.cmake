# cmake.install (fixture strata_installed): `cmake --install` the outer build into PREFIX and check
# that the package's files are where a consumer's find_package() looks for them.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

file(REMOVE_RECURSE "${PREFIX}")
strata_test_run(rc log "${CMAKE_COMMAND}" --install "${STRATA_BUILD_DIR}" --prefix "${PREFIX}")
strata_test_must("cmake --install" "${rc}" "${log}")

foreach(file
    bin/strata
    include/strata/migration_set.hpp
    include/strata/version.hpp
    lib/libstrata_runtime.a
    lib/cmake/strata/strataConfig.cmake
    lib/cmake/strata/strataConfigVersion.cmake
    lib/cmake/strata/strataTargets.cmake
    lib/cmake/strata/strataToolTargets.cmake
    lib/cmake/strata/StrataAddMigrations.cmake)
  if(NOT EXISTS "${PREFIX}/${file}")
    strata_test_fail("cmake --install did not install ${file}; installed:\n${log}")
  endif()
endforeach()
if(HAS_CLI AND NOT (EXISTS "${PREFIX}/lib/libstrata_cli.a"
                    AND EXISTS "${PREFIX}/include/strata/cli.hpp"))
  strata_test_fail("cmake --install did not install strata::cli; installed:\n${log}")
endif()

# The compiled table's record layout (strata/detail/) is read only inside strata's own build (the
# emitter, the runtime's reader): generated code includes <strata/compiled_table.hpp> alone.
if(EXISTS "${PREFIX}/include/strata/detail")
  strata_test_fail("cmake --install installed include/strata/detail, which only strata's own build "
                   "reads; installed:\n${log}")
endif()

# cli::Host (options in Boost.Program_options spelling) serves only strata's own tool: no
# installed header declares it.
file(GLOB_RECURSE installed_headers "${PREFIX}/include/*.hpp")
foreach(header IN LISTS installed_headers)
  file(READ "${header}" text)
  if(text MATCHES "struct Host|HostOption")
    strata_test_fail("${header} declares the tool's cli::Host, an internal of strata's own build")
  endif()
endforeach()
