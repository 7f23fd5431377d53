# StrataSanitizers — the instrumented builds CI runs besides the normal one (CONTRIBUTING.md).
#
# STRATA_SANITIZE=ON: every target of this project (compiler, runtime, cli, tests, examples) is
# built with AddressSanitizer and UndefinedBehaviorSanitizer. Any report aborts the process, so a
# test that hits undefined behaviour or a memory error fails instead of printing a warning.
# STRATA_FUZZ=ON (clang only): the compiler's libFuzzer target tests/fuzz, and coverage
# instrumentation of the compiler library it drives. Needs STRATA_SANITIZE: a fuzz run without
# sanitizers misses the bugs it exists to find.
#
# Both are for strata's own build tree; a consumer's flags are its own business, and the nested
# consumer builds of tests/cmake are not instrumented.
include_guard(GLOBAL)

option(STRATA_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(STRATA_FUZZ "Build the compiler's fuzz target (clang's libFuzzer; needs STRATA_SANITIZE)"
       OFF)

if(STRATA_FUZZ)
  if(NOT STRATA_SANITIZE)
    message(FATAL_ERROR "strata: STRATA_FUZZ=ON needs STRATA_SANITIZE=ON")
  endif()
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "strata: STRATA_FUZZ=ON needs clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ (Debian packages clang and "
                        "libclang-rt-14-dev, see scripts/install-deps)")
  endif()
endif()

if(STRATA_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "^(GNU|Clang)$")
    message(FATAL_ERROR "strata: STRATA_SANITIZE=ON needs GCC or clang")
  endif()
  # -fno-sanitize-recover: UBSan aborts on its first report instead of printing and going on.
  # Frame pointers keep ASan's stack traces whole in optimised code.
  set(_strata_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all)
  add_compile_options(${_strata_sanitizers} -fno-omit-frame-pointer)
  add_link_options(${_strata_sanitizers})
endif()

# strata_fuzz_instrument(<target>): coverage feedback for libFuzzer from <target>'s code. A
# no-op unless STRATA_FUZZ is on.
function(strata_fuzz_instrument target)
  if(STRATA_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()
