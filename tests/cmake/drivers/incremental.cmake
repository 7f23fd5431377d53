# cmake.incremental.*: a consumer's build follows its migrations folder without re-running CMake.
# Each step changes one thing and checks what the next build did: regenerate (the add_migrations
# COMMENT in the log), recompile (the generated TU in the log), or nothing at all.
# Steps are 1.1 s apart because file times have one-second resolution on some file systems.
# -DINCREMENTAL_GENERATOR=Ninja (default) or "Unix Makefiles". Make has no restat: a step that
# changes no output may still run the (cheap) compiler step, so "nothing to do" and "not
# recompiled" are asserted under Ninja only.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
if(NOT DEFINED INCREMENTAL_GENERATOR)
  set(INCREMENTAL_GENERATOR Ninja)
endif()
set(ninja OFF)
if(INCREMENTAL_GENERATOR STREQUAL "Ninja")
  set(ninja ON)
endif()

set(source "${WORK}/src")
set(binary "${WORK}/build")
set(migrations "${source}/migrations")
set(routines "${source}/routines")
file(COPY "${TESTS_DIR}/consumer/" DESTINATION "${source}")
# A private copy of the compiler, named by STRATA_EXECUTABLE, so the test can "rebuild" it.
file(COPY "${STRATA}" DESTINATION "${WORK}/host")
set(host_strata "${WORK}/host/strata")

set(generated "strata: compiling migrations of app_db")
set(compiled "Building CXX object [^\n]*app_db\\.cpp\\.o")
set(step_count 0)

# step(<description> EXPECT regenerated|unchanged|no_work [COUNT <n>]): build, check the log.
function(step description)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "EXPECT;COUNT" "")
  if(arg_EXPECT STREQUAL "no_work" AND NOT ninja)
    return()  # nothing to assert under Make; skip the build and the pause
  endif()
  strata_test_build("${binary}")
  set(log "${STRATA_TEST_LOG}")
  if(arg_EXPECT STREQUAL "no_work")
    if(ninja AND NOT log MATCHES "ninja: no work to do")
      strata_test_fail("${description}: expected `ninja: no work to do`, got:\n${log}")
    endif()
  elseif(NOT log MATCHES "${generated}")
    strata_test_fail("${description}: the migrations were not regenerated:\n${log}")
  elseif(arg_EXPECT STREQUAL "recompiled" AND NOT log MATCHES "${compiled}")
    strata_test_fail("${description}: regenerated but app_db.cpp was not recompiled:\n${log}")
  elseif(arg_EXPECT STREQUAL "unchanged" AND ninja AND log MATCHES "${compiled}")
    strata_test_fail("${description}: the output did not change, yet it was recompiled:\n${log}")
  endif()
  strata_test_compare("${binary}/consumer" "${migrations}" "${routines}" lines
                      --ignore "seed_*.sql")
  if(DEFINED arg_COUNT)
    string(REGEX MATCHALL "\n" newlines "${lines}")
    list(LENGTH newlines count)
    if(NOT count EQUAL arg_COUNT)
      strata_test_fail("${description}: expected ${arg_COUNT} migrations, got:\n${lines}")
    endif()
  endif()
  message(STATUS "ok: ${description}")
  set(STRATA_TEST_LINES "${lines}" PARENT_SCOPE)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
endfunction()

strata_test_configure(rc log "${source}" "${binary}" GENERATOR "${INCREMENTAL_GENERATOR}"
                      -DSTRATA_CONSUME=package "-Dstrata_DIR=${STRATA_BUILD_DIR}"
                      "-DSTRATA_EXECUTABLE=${host_strata}" -DCONSUMER_LINK_CLI=OFF)
strata_test_must("configure" "${rc}" "${log}")
step("first build" EXPECT recompiled COUNT 3)
step("nothing changed" EXPECT no_work)

file(WRITE "${migrations}/20240103000000_add_name.sql"
     "-- migrate:up\nALTER TABLE users ADD COLUMN name text;\n\n"
     "-- migrate:down\nALTER TABLE users DROP COLUMN name;\n")
step("a migration added" EXPECT recompiled COUNT 4)
set(before "${STRATA_TEST_LINES}")
step("nothing changed after the addition" EXPECT no_work)

file(WRITE "${migrations}/20240103000000_add_name.sql"
     "-- migrate:up\nALTER TABLE users ADD COLUMN display_name text;\n\n"
     "-- migrate:down\nALTER TABLE users DROP COLUMN display_name;\n")
step("a migration edited" EXPECT recompiled COUNT 4)
if(STRATA_TEST_LINES STREQUAL before)
  strata_test_fail("a migration edited: the embedded checksums did not change")
endif()

file(RENAME "${migrations}/20240103000000_add_name.sql"
     "${migrations}/20240103000000_add_display_name.sql")
step("a migration renamed" EXPECT recompiled COUNT 4)
if(NOT STRATA_TEST_LINES MATCHES "20240103000000 add_display_name ")
  strata_test_fail("a migration renamed: the new name is not embedded:\n${STRATA_TEST_LINES}")
endif()

file(APPEND "${routines}/find_user.sql" "\nCOMMENT ON FUNCTION find_user(text) IS 'by email';\n")
step("a routine edited" EXPECT recompiled COUNT 4)

# A file that is not a migration changes the folder: the compiler runs, finds the same set and
# leaves its outputs alone, so nothing is recompiled (Ninja restats custom command outputs).
file(WRITE "${migrations}/NOTES.md" "not a migration\n")
step("a non-migration file added" EXPECT unchanged COUNT 4)

file(TOUCH "${host_strata}")
step("the compiler rebuilt" EXPECT unchanged COUNT 4)

file(WRITE "${migrations}/20240104000000_broken.sql" "-- migrate:up\nCREATE TABLE (;\n")
strata_test_run(rc log "${CMAKE_COMMAND}" --build "${binary}")
strata_test_regex_escape("${migrations}/20240104000000_broken.sql" broken)
if(rc EQUAL 0 OR NOT log MATCHES "${broken}:2:[0-9]+: error: ")
  strata_test_fail("a broken migration added: expected a failed build naming it, got (${rc}):\n"
                   "${log}")
endif()
message(STATUS "ok: a broken migration added fails the build")
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
file(WRITE "${migrations}/20240104000000_broken.sql"
     "-- migrate:up\nCREATE TABLE audit (id bigint);\n")
step("the broken migration fixed" EXPECT recompiled COUNT 5)

file(REMOVE "${migrations}/20240104000000_broken.sql"
     "${migrations}/20240103000000_add_display_name.sql")
step("two migrations removed" EXPECT recompiled COUNT 3)
step("nothing changed at the end" EXPECT no_work)
