# Finds strata's build dependencies the CMake way. Each failure is one line naming the Debian
# package to install (scripts/install-deps installs them all).
include_guard(GLOBAL)

function(_strata_require found package what)
  if(NOT ${found})
    message(FATAL_ERROR "strata: ${what} not found; install the Debian package ${package} "
                        "(or run scripts/install-deps)")
  endif()
endfunction()

find_package(PostgreSQL QUIET)
_strata_require(PostgreSQL_FOUND libpq-dev "libpq (PostgreSQL client library)")

find_package(PgQuery QUIET)
_strata_require(PgQuery_FOUND libpg-query-dev "libpg_query (the PostgreSQL parser)")

find_package(OpenSSL QUIET COMPONENTS Crypto)
_strata_require(OpenSSL_FOUND libssl-dev "OpenSSL libcrypto")

# The compiler checks migrations on every core (part of the C library on Debian 12; CMake's way).
find_package(Threads REQUIRED)

find_package(Boost 1.74 QUIET CONFIG COMPONENTS program_options)
_strata_require(Boost_FOUND libboost-program-options-dev "Boost.Program_options")

if(STRATA_BUILD_TESTS)
  find_package(Catch2 2 QUIET)
  _strata_require(Catch2_FOUND catch2 "Catch2 v2")
endif()
