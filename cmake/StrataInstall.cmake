# StrataInstall — strata as a CMake package, twice: installed (`cmake --install`, then
# find_package(strata) with the prefix in CMAKE_PREFIX_PATH) and as the build tree itself
# (find_package(strata) with strata_DIR pointing at the build folder, no install needed).
#
# Layout under the prefix:
#   include/strata/...                          the runtime's public headers (version.hpp generated;
#                                               not detail/, which only strata's own build reads)
#   lib/libstrata_runtime.a, lib/libstrata_cli.a
#   bin/strata                                  the compiler and developer tool
#   lib/cmake/strata/strataConfig.cmake, strataConfigVersion.cmake,
#     strataTargets.cmake (runtime, cli), strataToolTargets.cmake (the tool, own export set),
#     StrataAddMigrations.cmake
#   share/man/man1/strata.1, share/{bash-completion,zsh,fish}/… completions,
#     share/doc/strata/copyright                (cmake/StrataPackage.cmake, which adds `cpack`)
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(STRATA_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/strata" CACHE STRING
    "Where strata's CMake package files are installed, relative to the prefix")

set(_strata_libraries strata_runtime)
set(STRATA_PACKAGE_HAS_CLI FALSE)
if(TARGET strata_cli)
  list(APPEND _strata_libraries strata_cli)
  set(STRATA_PACKAGE_HAS_CLI TRUE)
endif()

# strata's own warning flags reach the libraries' link interface as
# $<LINK_ONLY:$<BUILD_INTERFACE:strata_warnings>>. install(EXPORT) drops that, but the build-tree
# export() keeps it and so needs the target exported too; LINK_ONLY means a consumer never gets
# its flags (CMake 3.26's $<BUILD_LOCAL_INTERFACE> would avoid this). Any other internal target
# linked into strata_runtime or strata_cli would break export(): they use strata_support's and
# strata_pq's headers through strata_use_headers() (CMakeLists.txt), and strata_pq's objects are
# compiled into libstrata_runtime.a.
set_target_properties(strata_warnings PROPERTIES EXPORT_NAME internal_warnings)
list(APPEND _strata_libraries strata_warnings)

install(TARGETS ${_strata_libraries} EXPORT strataTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}")
# strata/detail/ stays out: the compiled table's record layout is read only by the emitter (inside
# the tool) and by the runtime's reader (inside libstrata_runtime.a), both compiled here, and no
# installed header includes it. Generated code needs only <strata/compiled_table.hpp>.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/runtime/include/strata"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" PATTERN "detail" EXCLUDE)
install(FILES "${PROJECT_BINARY_DIR}/runtime/include/strata/version.hpp"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/strata")
install(EXPORT strataTargets NAMESPACE strata:: FILE strataTargets.cmake
  DESTINATION "${STRATA_INSTALL_CMAKEDIR}")
export(EXPORT strataTargets NAMESPACE strata:: FILE "${PROJECT_BINARY_DIR}/strataTargets.cmake")

if(TARGET strata_tool)
  install(TARGETS strata_tool EXPORT strataToolTargets
    RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
  install(EXPORT strataToolTargets NAMESPACE strata:: FILE strataToolTargets.cmake
    DESTINATION "${STRATA_INSTALL_CMAKEDIR}")
  export(EXPORT strataToolTargets NAMESPACE strata::
    FILE "${PROJECT_BINARY_DIR}/strataToolTargets.cmake")
endif()

# 0.x: SameMajorVersion accepts any 0.y; revisit at 1.0.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/strataConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)

# The installed config lives apart from the build tree's, which sits in PROJECT_BINARY_DIR.
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/strataConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/install/strataConfig.cmake"
  INSTALL_DESTINATION "${STRATA_INSTALL_CMAKEDIR}")
install(FILES
  "${PROJECT_BINARY_DIR}/cmake/install/strataConfig.cmake"
  "${PROJECT_BINARY_DIR}/strataConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/StrataAddMigrations.cmake"
  DESTINATION "${STRATA_INSTALL_CMAKEDIR}")

# The build tree as a package: strata_DIR=<build folder>. The module is copied next to the config
# (re-copied whenever it changes) so the config finds it the same way in both layouts.
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/strataConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/strataConfig.cmake"
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}"
  INSTALL_PREFIX "${PROJECT_BINARY_DIR}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/StrataAddMigrations.cmake"
  "${PROJECT_BINARY_DIR}/StrataAddMigrations.cmake" COPYONLY)

include(StrataPackage)
