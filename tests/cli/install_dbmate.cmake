# Installs the real dbmate for the adopt tests: npm's `dbmate` package carries the Go binary a dbmate
# user runs (node_modules/@dbmate/linux-x64/bin/dbmate). Once per build folder; fails, saying what
# to install, when npm is missing, so the tests never skip in silence.
#   cmake -DPREFIX=<folder> -DDBMATE=<expected binary> -P install_dbmate.cmake
if(EXISTS "${DBMATE}")
  return()
endif()
find_program(NPM npm)
if(NOT NPM)
  message(FATAL_ERROR "the adopt tests need the real dbmate, installed with npm, and npm is not "
                      "on PATH: install nodejs and npm (scripts/install-deps does)")
endif()
file(MAKE_DIRECTORY "${PREFIX}")
execute_process(
  COMMAND "${NPM}" install --no-audit --no-fund --prefix "${PREFIX}" dbmate@2.36.0
  RESULT_VARIABLE result)
if(NOT result EQUAL 0 OR NOT EXISTS "${DBMATE}")
  message(FATAL_ERROR "npm install dbmate@2.36.0 into ${PREFIX} failed (${result}); "
                      "expected ${DBMATE}")
endif()
