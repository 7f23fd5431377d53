# cmake.debian_package: `cpack -G DEB` in the outer build makes a .deb that holds the tool, the
# headers, the static libraries, the CMake package, the man page and the completions; its Depends
# name the package of every shared library bin/strata loads; unpacked into a scratch root
# (dpkg -x, no root needed) it runs `strata --version` and its CMake package is found.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
strata_test_run(rc log "${CMAKE_CPACK_COMMAND}" -G DEB -B "${WORK}/out"
                --config "${STRATA_BUILD_DIR}/CPackConfig.cmake")
strata_test_must("cpack -G DEB" "${rc}" "${log}")
file(GLOB debs "${WORK}/out/*.deb")
list(LENGTH debs count)
if(NOT count EQUAL 1)
  strata_test_fail("cpack made ${count} .deb files, expected 1:\n${log}")
endif()

strata_test_run(rc contents dpkg-deb -c "${debs}")
strata_test_must("dpkg-deb -c" "${rc}" "${contents}")
foreach(file
    ./usr/bin/strata
    ./usr/include/strata/cli.hpp
    ./usr/lib/libstrata_runtime.a
    ./usr/lib/libstrata_cli.a
    ./usr/lib/cmake/strata/strataConfig.cmake
    ./usr/lib/cmake/strata/StrataAddMigrations.cmake
    ./usr/share/man/man1/strata.1
    ./usr/share/bash-completion/completions/strata
    ./usr/share/zsh/vendor-completions/_strata
    ./usr/share/fish/vendor_completions.d/strata.fish
    ./usr/share/doc/strata/copyright)
  string(REPLACE "." "\\." pattern "${file}")
  if(NOT contents MATCHES " ${pattern}\n")
    strata_test_fail("the .deb lacks ${file}:\n${contents}")
  endif()
endforeach()

strata_test_run(rc depends dpkg-deb -f "${debs}" Depends)
strata_test_must("dpkg-deb -f Depends" "${rc}" "${depends}")
string(STRIP "${depends}" depends)
string(REPLACE ", " ";" depends_list "${depends}")

set(root "${WORK}/root")
strata_test_run(rc log dpkg -x "${debs}" "${root}")
strata_test_must("dpkg -x" "${rc}" "${log}")

# Every shared library the installed strata links directly (NEEDED) belongs to a package the .deb
# depends on; what those load in turn is their packages' business.
strata_test_run(rc dynamic readelf -d "${root}/usr/bin/strata")
strata_test_must("readelf -d" "${rc}" "${dynamic}")
strata_test_run(rc libraries ldd "${root}/usr/bin/strata")
strata_test_must("ldd" "${rc}" "${libraries}")
string(REGEX MATCHALL "Shared library: \\[[^]]+\\]" needed "${dynamic}")
foreach(match IN LISTS needed)
  string(REGEX REPLACE "^Shared library: \\[(.*)\\]$" "\\1" soname "${match}")
  strata_test_regex_escape("${soname}" soname_pattern)
  if(NOT libraries MATCHES "${soname_pattern} => ([^ ]+)")
    strata_test_fail("ldd does not resolve ${soname}:\n${libraries}")
  endif()
  file(REAL_PATH "${CMAKE_MATCH_1}" library)
  get_filename_component(name "${library}" NAME)
  get_filename_component(folder "${library}" DIRECTORY)
  get_filename_component(folder "${folder}" NAME)
  set(name "${folder}/${name}")  # x86_64-linux-gnu/libc.so.6, not the i386 one
  strata_test_run(rc owner dpkg -S "*/${name}")
  if(NOT rc EQUAL 0 OR NOT owner MATCHES "^([^:,]+)")
    strata_test_fail("no Debian package owns ${library} (dpkg -S: ${owner})")
  endif()
  set(package "${CMAKE_MATCH_1}")
  if(NOT package IN_LIST depends_list)
    strata_test_fail("bin/strata loads ${library} from ${package}, but Depends is: ${depends}")
  endif()
endforeach()
foreach(library libpq libpg_query libcrypto libboost_program_options)
  if(NOT libraries MATCHES "${library}")
    strata_test_fail("expected bin/strata to load ${library}:\n${libraries}")
  endif()
endforeach()

strata_test_run(rc version "${root}/usr/bin/strata" --version)
strata_test_must("the unpacked strata --version" "${rc}" "${version}")
if(NOT version MATCHES "^strata [0-9]+\\.[0-9]+\\.[0-9]+\n$")
  strata_test_fail("the unpacked strata --version printed: ${version}")
endif()

# The CMake package in the .deb is found from the scratch root, every component with it.
file(WRITE "${WORK}/consumer/CMakeLists.txt"
     "cmake_minimum_required(VERSION 3.25)\n"
     "project(deb_consumer LANGUAGES CXX)\n"
     "find_package(strata REQUIRED COMPONENTS runtime cli tool)\n"
     "get_target_property(tool strata::strata IMPORTED_LOCATION_NOCONFIG)\n"
     "if(NOT tool)\n  get_target_property(tool strata::strata LOCATION)\nendif()\n"
     "message(STATUS \"strata tool: \${tool}\")\n")
strata_test_configure(rc log "${WORK}/consumer" "${WORK}/consumer/build"
                      "-DCMAKE_PREFIX_PATH=${root}/usr")
strata_test_must("find_package(strata) from the unpacked .deb" "${rc}" "${log}")
if(NOT log MATCHES "strata tool: ${root}/usr/bin/strata")
  strata_test_fail("the CMake package did not point at the unpacked tool:\n${log}")
endif()
