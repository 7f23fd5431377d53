# StrataPackage — the Debian package (`cpack -G DEB` in the build folder), the man page and the
# shell completions it installs.
#
# The .deb holds what `cmake --install` installs under /usr: bin/strata, the headers, the static
# libraries, the CMake package, the man page, bash/zsh/fish completions and the licence. Depends:
#   - the Debian packages that own the shared libraries bin/strata loads (libpq, libpg_query,
#     OpenSSL's libcrypto, Boost.Program_options), found with `dpkg -S` on the libraries this build
#     linked, so the names follow the Debian release (libpg-query1504.0 on Debian 12);
#   - libpq-dev and libboost-program-options-dev: the CMake package's find_dependency() needs them
#     to link a consumer against the static libraries.
include_guard(GLOBAL)
include(GNUInstallDirs)

# The man page and the completions come from the tool itself (`strata man`, `strata completion
# SHELL`), generated from the command table that --help prints. A cross build cannot run it.
if(TARGET strata_tool AND NOT CMAKE_CROSSCOMPILING)
  set(_strata_share "${PROJECT_BINARY_DIR}/share")
  set(_strata_generated
    "${_strata_share}/man/man1/strata.1"
    "${_strata_share}/bash-completion/completions/strata"
    "${_strata_share}/zsh/vendor-completions/_strata"
    "${_strata_share}/fish/vendor_completions.d/strata.fish")
  add_custom_command(
    OUTPUT ${_strata_generated}
    COMMAND "${CMAKE_COMMAND}" "-DSTRATA=$<TARGET_FILE:strata_tool>" "-DSHARE=${_strata_share}"
            -P "${PROJECT_SOURCE_DIR}/cmake/strata_generate_docs.cmake"
    DEPENDS strata_tool "${PROJECT_SOURCE_DIR}/cmake/strata_generate_docs.cmake"
    COMMENT "strata: generating the man page and the shell completions"
    VERBATIM)
  add_custom_target(strata_docs ALL DEPENDS ${_strata_generated})
  install(FILES "${_strata_share}/man/man1/strata.1" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
  install(FILES "${_strata_share}/bash-completion/completions/strata"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions")
  install(FILES "${_strata_share}/zsh/vendor-completions/_strata"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions")
  install(FILES "${_strata_share}/fish/vendor_completions.d/strata.fish"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d")
endif()
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}"
  RENAME copyright)

# _strata_debian_package_of(<out-var> <library file>): the Debian package that owns the file the
# library resolves to ("" when dpkg does not know it).
function(_strata_debian_package_of out_var library)
  set(${out_var} "" PARENT_SCOPE)
  if(NOT library OR NOT EXISTS "${library}")
    return()
  endif()
  # By file name: the .so link belongs to the -dev package, and on a merged-/usr system the
  # resolved /usr/lib path is not the /lib path that dpkg recorded.
  file(REAL_PATH "${library}" resolved)
  get_filename_component(name "${resolved}" NAME)
  get_filename_component(folder "${resolved}" DIRECTORY)
  get_filename_component(folder "${folder}" NAME)
  set(name "${folder}/${name}")  # x86_64-linux-gnu/libc.so.6, not the i386 one
  execute_process(COMMAND dpkg -S "*/${name}" RESULT_VARIABLE rc OUTPUT_VARIABLE owner
                  ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc EQUAL 0 AND owner MATCHES "^([^:,]+)")
    set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  endif()
endfunction()

set(_strata_linked_libraries "${PgQuery_LIBRARY}" "${OPENSSL_CRYPTO_LIBRARY}")
foreach(_strata_variable PostgreSQL_LIBRARY PostgreSQL_LIBRARY_RELEASE)
  if(${_strata_variable})
    list(APPEND _strata_linked_libraries "${${_strata_variable}}")
  endif()
endforeach()
if(TARGET Boost::program_options)
  foreach(_strata_property IMPORTED_LOCATION_RELEASE IMPORTED_LOCATION_NOCONFIG IMPORTED_LOCATION)
    get_target_property(_strata_location Boost::program_options ${_strata_property})
    if(_strata_location)
      list(APPEND _strata_linked_libraries "${_strata_location}")
      break()
    endif()
  endforeach()
endif()
set(_strata_depends libc6 libstdc++6 libgcc-s1)
find_program(STRATA_DPKG dpkg)
mark_as_advanced(STRATA_DPKG)
if(STRATA_DPKG)
  foreach(_strata_library IN LISTS _strata_linked_libraries)
    _strata_debian_package_of(_strata_owner "${_strata_library}")
    if(_strata_owner)
      list(APPEND _strata_depends "${_strata_owner}")
    else()
      message(STATUS "strata: no Debian package owns ${_strata_library}; the .deb will not "
                     "depend on it")
    endif()
  endforeach()
endif()
list(APPEND _strata_depends libpq-dev libboost-program-options-dev)
list(REMOVE_DUPLICATES _strata_depends)
list(JOIN _strata_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)

set(CPACK_PACKAGE_NAME strata)
set(CPACK_PACKAGE_VENDOR "the strata authors")
set(CPACK_PACKAGE_CONTACT "the strata authors <strata@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "PostgreSQL migrations compiled into C++ programs")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/strata")
include(CPack)
