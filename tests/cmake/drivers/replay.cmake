# cmake.replay.*: a consumer built with add_migrations(... REPLAY) proves its migrations on a
# scratch PostgreSQL during the build. -DCASE= picks the scenario:
#   missing_table  an up that uses a table no migration created fails the build at file:line:col
#                  with the SQLSTATE
#   leaky_down     a down that leaves a table behind fails it, naming the migration and the table
#   good           a good set builds; its snapshot is the same bytes in two build folders; the
#                  committed SCHEMA_SNAPSHOT passes; appending a migration replays only that one;
#                  the now stale SCHEMA_SNAPSHOT fails the build
# The embedded server's cluster is cached in this test's own folder (STRATA_SCRATCH_DIR, which the
# build's replay step inherits), so nothing outside the build folder is touched.
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

set(ENV{STRATA_SCRATCH_DIR} "${WORK}/scratch")
set(project "${TESTS_DIR}/replay")

# configure(<binary> <migrations> [<snapshot>]): configure the consumer or fail the test.
function(configure binary migrations)
  set(snapshot "")
  if(ARGC GREATER 2)
    set(snapshot "${ARGV2}")
  endif()
  strata_test_configure(rc log "${project}" "${binary}" "-Dstrata_DIR=${STRATA_BUILD_DIR}"
                        "-DMIGRATIONS=${migrations}" "-DSNAPSHOT=${snapshot}")
  strata_test_must("configure of ${binary}" "${rc}" "${log}")
endfunction()

# build_must_fail(<binary> <regex> <what>): the build fails and its log matches <regex>.
function(build_must_fail binary regex what)
  strata_test_run(rc log "${CMAKE_COMMAND}" --build "${binary}")
  if(rc EQUAL 0)
    strata_test_fail("the build succeeded; ${what} must fail it:\n${log}")
  elseif(NOT log MATCHES "${regex}")
    strata_test_fail("the build failed without `${regex}`:\n${log}")
  endif()
  if(EXISTS "${binary}/app_db/app_db.replayed")
    strata_test_fail("the failed replay left its stamp: the next build would not replay")
  endif()
endfunction()

if(CASE STREQUAL "missing_table")
  configure("${WORK}/build" "${project}/missing_table")
  strata_test_regex_escape("${project}/missing_table/2_orders.sql" file)
  build_must_fail("${WORK}/build"
                  "(^|\n)${file}:3:39: error: relation \"user_list\" does not exist \\[42P01\\]"
                  "a migration using a missing table")
elseif(CASE STREQUAL "leaky_down")
  configure("${WORK}/build" "${project}/leaky_down")
  strata_test_regex_escape("${project}/leaky_down/2_b.sql" file)
  build_must_fail("${WORK}/build" "(^|\n)${file}:6:1: error: 2_b: the down leaves table public.b_log"
                  "a down that leaves a table")
elseif(CASE STREQUAL "good")
  set(migrations "${WORK}/src/migrations")
  file(COPY "${project}/good/" DESTINATION "${migrations}")
  foreach(name IN ITEMS a b)
    configure("${WORK}/${name}" "${migrations}")
    strata_test_build("${WORK}/${name}")
    if(NOT STRATA_TEST_LOG MATCHES "replayed [0-9]+ of 2 migrations")
      strata_test_fail("build ${name} did not replay:\n${STRATA_TEST_LOG}")
    endif()
  endforeach()
  file(READ "${WORK}/a/app_db_schema.sql" snapshot_a)
  file(READ "${WORK}/b/app_db_schema.sql" snapshot_b)
  if(NOT snapshot_a STREQUAL snapshot_b OR NOT snapshot_a MATCHES "CREATE TABLE public.sessions")
    strata_test_fail("the snapshots differ between two build folders (or miss a table):\n"
                     "${snapshot_a}\n----\n${snapshot_b}")
  endif()

  # The committed snapshot matches: the build passes, and a second build has nothing to do.
  file(COPY_FILE "${WORK}/a/app_db_schema.sql" "${WORK}/src/schema.sql")
  configure("${WORK}/c" "${migrations}" "${WORK}/src/schema.sql")
  strata_test_build("${WORK}/c")
  if(GENERATOR STREQUAL "Ninja")
    strata_test_build("${WORK}/c")
    if(NOT STRATA_TEST_LOG MATCHES "ninja: no work to do")
      strata_test_fail("a build with nothing changed replayed again:\n${STRATA_TEST_LOG}")
    endif()
  endif()

  # Appending a migration proves only that one, on top of the template of the first two.
  file(WRITE "${migrations}/3_tags.sql"
       "-- migrate:up\nCREATE TABLE tags (name text PRIMARY KEY);\n\n-- migrate:down\n"
       "DROP TABLE tags;\n")
  strata_test_build("${WORK}/a")
  if(NOT STRATA_TEST_LOG MATCHES "replayed 1 of 3 migrations \\(2 from a verified template\\)")
    strata_test_fail("appending one migration did not replay just that one:\n${STRATA_TEST_LOG}")
  endif()

  # The committed snapshot has no table tags now.
  strata_test_regex_escape("${WORK}/src/schema.sql" file)
  build_must_fail("${WORK}/c" "(^|\n)${file}:[0-9]+:1: error: the schema snapshot is out of date"
                  "a stale SCHEMA_SNAPSHOT")
else()
  message(FATAL_ERROR "driver: -DCASE=missing_table, leaky_down or good")
endif()
