# cli.example.standalone: examples/auth-service configured and built on its own, as a consumer
# project that finds strata with find_package() (the outer build tree is itself a package), then
# run without a database: `auth-service migrate --help` must answer from the embedded CLI.
#
#   cmake -DSOURCE=<examples/auth-service> -DWORK=<scratch> -Dstrata_DIR=<build> -DGENERATOR=...
#         -DCXX=... [-DMAKE_PROGRAM=...] -P example_standalone.cmake
cmake_minimum_required(VERSION 3.25)
foreach(required SOURCE WORK strata_DIR GENERATOR CXX)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "example_standalone: -D${required}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
set(make_args)
if(DEFINED MAKE_PROGRAM AND NOT MAKE_PROGRAM STREQUAL "")
  list(APPEND make_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${WORK}" -G "${GENERATOR}" ${make_args}
          "-DCMAKE_CXX_COMPILER=${CXX}" "-Dstrata_DIR=${strata_DIR}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the example on its own failed (${rc}):\n${log}")
endif()

execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}" --target auth-service
                RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the example on its own failed (${rc}):\n${log}")
endif()

execute_process(COMMAND "${WORK}/auth-service" migrate --help
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^Usage: auth-service migrate <command> \\[options\\]")
  message(FATAL_ERROR "auth-service migrate --help exited ${rc}:\n${out}${err}")
endif()
message(STATUS "examples/auth-service builds on its own against ${strata_DIR}")
