# FindPgQuery — libpg_query, the PostgreSQL parser as a library.
#
# Debian's libpg-query-dev ships pg_query.h and libpg_query.{a,so} but no CMake or pkg-config
# file, hence this module. Defines PgQuery_FOUND and the imported target PgQuery::PgQuery.
# Used only by the strata compiler; never part of strata's installed package.
find_path(PgQuery_INCLUDE_DIR NAMES pg_query.h)
find_library(PgQuery_LIBRARY NAMES pg_query)
mark_as_advanced(PgQuery_INCLUDE_DIR PgQuery_LIBRARY)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(PgQuery REQUIRED_VARS PgQuery_LIBRARY PgQuery_INCLUDE_DIR)

if(PgQuery_FOUND AND NOT TARGET PgQuery::PgQuery)
  add_library(PgQuery::PgQuery UNKNOWN IMPORTED)
  set_target_properties(PgQuery::PgQuery PROPERTIES
    IMPORTED_LOCATION "${PgQuery_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${PgQuery_INCLUDE_DIR}")
endif()
