# Helpers shared by the cmake -P drivers of tests/cmake. Every driver gets, with -D:
#   GENERATOR, CXX, MAKE_PROGRAM  how the outer build was configured (nested builds use the same)
#   STRATA                        the outer build's `strata` (the reference for `check --list`)
#   STRATA_BUILD_DIR              the outer build folder, itself a package (strata_DIR)
#   STRATA_SOURCE_DIR             strata's sources (add_subdirectory, FetchContent)
#   PREFIX                        where the install fixture installed strata
#   WORK                          this test's scratch folder, emptied first
#   TESTS_DIR                     tests/cmake (the consumer projects)
cmake_minimum_required(VERSION 3.25)

foreach(required GENERATOR CXX STRATA WORK TESTS_DIR)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "driver: -D${required}=... is required")
  endif()
endforeach()

# strata_test_fail(<message>...): stop the test with the pieces joined. ARGV<n> one by one, because
# ${ARGN} would split a build log at its semicolons.
function(strata_test_fail)
  set(text "")
  math(EXPR last "${ARGC} - 1")
  foreach(index RANGE ${last})
    string(APPEND text "${ARGV${index}}")
  endforeach()
  message(FATAL_ERROR "${text}")
endfunction()

# strata_test_run(<rc-var> <log-var> <command>...): run a command, stdout and stderr together.
function(strata_test_run rc_var log_var)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
  set(${rc_var} "${rc}" PARENT_SCOPE)
  set(${log_var} "${log}" PARENT_SCOPE)
endfunction()

# strata_test_configure(<rc-var> <log-var> <source> <binary> [GENERATOR <g>] [<cmake-arg>...]):
# configure a nested project with the outer build's compiler and, by default, its generator.
function(strata_test_configure rc_var log_var source binary)
  cmake_parse_arguments(PARSE_ARGV 4 arg "" "GENERATOR" "")
  set(generator_args -G "${GENERATOR}")
  if(DEFINED MAKE_PROGRAM AND NOT MAKE_PROGRAM STREQUAL "")
    list(APPEND generator_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
  endif()
  if(DEFINED arg_GENERATOR AND NOT arg_GENERATOR STREQUAL GENERATOR)
    set(generator_args -G "${arg_GENERATOR}")
  endif()
  strata_test_run(rc log "${CMAKE_COMMAND}" -S "${source}" -B "${binary}" ${generator_args}
                  "-DCMAKE_CXX_COMPILER=${CXX}" ${arg_UNPARSED_ARGUMENTS})
  set(${rc_var} "${rc}" PARENT_SCOPE)
  set(${log_var} "${log}" PARENT_SCOPE)
endfunction()

# strata_test_unwrap(<log-var>): undo CMake's wrapping of messages (continuation lines are
# indented by two spaces) so a regular expression can match a message as one line.
function(strata_test_unwrap log_var)
  string(REPLACE "\n  " " " unwrapped "${${log_var}}")
  set(${log_var} "${unwrapped}" PARENT_SCOPE)
endfunction()

# strata_test_must(<what> <rc> <log>): fail unless <rc> is 0, showing the log.
function(strata_test_must what rc log)
  if(NOT rc EQUAL 0)
    strata_test_fail("${what} failed (${rc}):\n${log}")
  endif()
endfunction()

# strata_test_build(<binary> [<build-arg>...]) -> STRATA_TEST_LOG: build or fail the test.
function(strata_test_build binary)
  strata_test_run(rc log "${CMAKE_COMMAND}" --build "${binary}" ${ARGN})
  strata_test_must("build of ${binary}" "${rc}" "${log}")
  set(STRATA_TEST_LOG "${log}" PARENT_SCOPE)
endfunction()

# strata_test_regex_escape(<text> <out-var>): <text> as a regular expression matching itself.
function(strata_test_regex_escape text out_var)
  string(REGEX REPLACE "([][.*+?^$(){}|\\\\])" "\\\\\\1" escaped "${text}")
  set(${out_var} "${escaped}" PARENT_SCOPE)
endfunction()

# strata_test_compare(<program> <migrations> <routines> <out-var> [<check-arg>...]): run the
# consumer <program> and `strata check --list` over the same folders; fail unless the program
# printed `count N` and then exactly the N lines that check lists. <out-var> gets those lines.
function(strata_test_compare program migrations routines out_var)
  strata_test_run(rc embedded "${program}")
  strata_test_must("${program}" "${rc}" "${embedded}")
  execute_process(COMMAND "${STRATA}" check -d "${migrations}" --routines "${routines}" ${ARGN}
                          --list
                  RESULT_VARIABLE rc OUTPUT_VARIABLE listed ERROR_VARIABLE errors)
  strata_test_must("strata check --list" "${rc}" "${listed}${errors}")

  if(NOT embedded MATCHES "^count ([0-9]+)\n")
    strata_test_fail("${program} printed no count line:\n${embedded}")
  endif()
  set(count "${CMAKE_MATCH_1}")
  string(REGEX REPLACE "^count [0-9]+\n" "" lines "${embedded}")
  string(REGEX MATCHALL "\n" newlines "${lines}")
  list(LENGTH newlines printed)
  if(NOT count EQUAL printed OR count EQUAL 0)
    strata_test_fail("${program} says count ${count} but printed ${printed} lines:\n${embedded}")
  endif()
  if(NOT lines STREQUAL listed)
    strata_test_fail("embedded migrations differ from `strata check --list`\n"
                     "embedded:\n${lines}\nstrata check --list:\n${listed}")
  endif()
  set(${out_var} "${lines}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
