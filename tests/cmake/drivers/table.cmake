# cmake.table: add_migrations(… TABLE migration.history) compiles the history table into the
# program. The generated header names it; `consumer migrate up`/`status` use it when neither
# --table nor STRATA_TABLE is given (and either still wins); a bad name fails the build the way
# --table fails at run time. Runs against the test cluster (CLUSTER_HANDLE, the pg fixture).
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
if(NOT DEFINED CLUSTER_HANDLE)
  message(FATAL_ERROR "driver: -DCLUSTER_HANDLE=... is required")
endif()

set(source "${WORK}/src")
set(binary "${WORK}/build")
file(COPY "${TESTS_DIR}/consumer/" DESTINATION "${source}")

strata_test_configure(rc log "${source}" "${binary}" -DSTRATA_CONSUME=package
                      "-Dstrata_DIR=${STRATA_BUILD_DIR}" -DCONSUMER_TABLE=migration.history)
strata_test_must("configure with TABLE" "${rc}" "${log}")
strata_test_build("${binary}")
file(READ "${binary}/app_db/app_db.hpp" header)
if(NOT header MATCHES "MigrationSet set\\{strata_generated::table, \"migration\\.history\"\\}")
  strata_test_fail("the generated header does not compile in the table:\n${header}")
endif()
message(STATUS "ok: the generated header names migration.history")

# A database of its own on the test cluster.
file(STRINGS "${CLUSTER_HANDLE}" url_line REGEX "^DATABASE_URL=")
string(REGEX REPLACE "^DATABASE_URL=(.*)/[^/]*$" "\\1/strata_cmake_table" url "${url_line}")
set(consumer "${binary}/consumer")
strata_test_run(rc log "${consumer}" migrate drop --url "${url}")
strata_test_run(rc log "${CMAKE_COMMAND}" -E env --unset=STRATA_TABLE
                "${consumer}" migrate up --url "${url}")
strata_test_must("consumer migrate up" "${rc}" "${log}")

# run_status(<what> <expected table> <env-args> [<arg>...]): `consumer migrate status --json`
# names <expected table> and shows the migrations applied (or pending, in another table).
function(run_status what table executed env_args)
  strata_test_run(rc log "${CMAKE_COMMAND}" -E env ${env_args} "${consumer}" migrate status
                  --json --url "${url}" ${ARGN})
  strata_test_must("${what}" "${rc}" "${log}")
  if(NOT log MATCHES "^\\{\"table\": ?\"${table}\"" OR NOT log MATCHES "\"executed\": ?${executed},")
    strata_test_fail("${what}: expected table ${table} with ${executed} executed:\n${log}")
  endif()
  message(STATUS "ok: ${what}")
endfunction()
run_status("status uses the compiled-in table" "migration\\.history" 3 --unset=STRATA_TABLE)
run_status("STRATA_TABLE wins over it" "strata_migrations" 0 STRATA_TABLE=strata_migrations)
run_status("--table wins over both" "strata_migrations" 0 STRATA_TABLE=migration.history
           --table strata_migrations)

strata_test_run(rc log "${CMAKE_COMMAND}" -E env --unset=STRATA_TABLE "${consumer}" migrate
                status --help)
if(NOT log MATCHES "default:[ \n]+migration\\.history")
  strata_test_fail("status --help should name the compiled-in table as the default:\n${log}")
endif()
strata_test_run(rc log "${consumer}" migrate drop --url "${url}")
strata_test_must("consumer migrate drop" "${rc}" "${log}")

# A name the runtime would refuse fails the build, at `strata generate`.
strata_test_configure(rc log "${source}" "${binary}" "-DCONSUMER_TABLE=a.b.c")
strata_test_must("configure with a bad TABLE" "${rc}" "${log}")
strata_test_run(rc log "${CMAKE_COMMAND}" --build "${binary}")
if(rc EQUAL 0 OR NOT log MATCHES "history table \"a\\.b\\.c\": at most schema\\.table")
  strata_test_fail("TABLE a.b.c should fail the build naming the table:\n${log}")
endif()
message(STATUS "ok: a bad TABLE fails the build")
