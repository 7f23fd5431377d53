# StrataAddMigrations — add_migrations(): compile a folder of PostgreSQL migrations into a static
# library at build time.
#
#   add_migrations(<target> DIRECTORY <dir> [ROUTINES <dir>] [NAMESPACE <id>] [LOCK_FILE <file>]
#                  [IGNORE <glob>...] [WARNINGS_AS_ERRORS] [ALIAS <ns::name>]
#                  [TABLE <history table>]
#                  [REPLAY [SCRATCH_URL <url>] [SCHEMA_SNAPSHOT <file>]])
#
# Creates the static library <target>, linked PUBLIC to strata::runtime, whose header
# `<NAMESPACE>.hpp` (include it as `#include "<NAMESPACE>.hpp"`) declares
# `namespace <NAMESPACE> { const strata::MigrationSet& migrations() noexcept; }`.
# NAMESPACE defaults to <target> made a C++ identifier (`app-db` -> `app_db`). TABLE compiles in
# the history table (`migration.history`) that the program's `migrate` commands use by default.
#
# One build step per call runs `strata generate`. It writes a depfile naming every file it read
# and the folders it scanned, so adding, editing, removing or renaming a migration regenerates on
# the next build without re-running CMake, and it DEPENDS on the compiler itself, so a rebuilt
# `strata` regenerates too. A bad migration fails the build with `/abs/file.sql:L:C: error: ...`.
#
# REPLAY adds a second step, `strata replay`, that applies every migration to a scratch
# PostgreSQL and proves each down; the library cannot build until it passes. It depends on the
# generated source, which changes exactly when the set does, so it follows the same depfile.
#
# The compiler is the `strata::strata` target (in-tree, or imported by find_package(strata)).
# STRATA_EXECUTABLE names a `strata` that runs on the build host instead; cross builds need it.
#
# This file is shared verbatim by the source tree (add_subdirectory, FetchContent), the build-tree
# package and the installed package, so it must not assume where it lives.
include_guard(GLOBAL)

# Functions remember the policies in force where they are defined; pin ours so a consumer's
# cmake_minimum_required() cannot change how add_migrations() behaves.
cmake_policy(PUSH)
cmake_policy(VERSION 3.25)

# CMAKE_CURRENT_LIST_DIR inside a function is the caller's file, so remember ours now. The
# installed package lives in <prefix>/lib/cmake/strata: the tool is then in <prefix>/bin.
set_property(GLOBAL PROPERTY STRATA_ADD_MIGRATIONS_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}")

# _strata_compiler_target(<context> <out-var>): the executable target that add_migrations() runs
# and depends on. Prefers STRATA_EXECUTABLE (wrapped in an imported target, so DEPENDS still gives
# a file-level dependency), then strata::strata, then a `strata` next to the installed package.
function(_strata_compiler_target context out_var)
  if(NOT STRATA_EXECUTABLE)
    if(CMAKE_CROSSCOMPILING AND NOT CMAKE_CROSSCOMPILING_EMULATOR)
      message(FATAL_ERROR "${context}: cross-compiling, so strata::strata cannot run on this "
                          "machine. Set STRATA_EXECUTABLE to a strata built for the build host, "
                          "e.g. -DSTRATA_EXECUTABLE=/usr/bin/strata")
    endif()
    if(TARGET strata::strata)
      set(${out_var} strata::strata PARENT_SCOPE)
      return()
    endif()
    get_property(module_dir GLOBAL PROPERTY STRATA_ADD_MIGRATIONS_MODULE_DIR)
    find_program(STRATA_EXECUTABLE NAMES strata HINTS "${module_dir}/../../../bin"
                 DOC "A strata executable that runs on the build host")
    if(NOT STRATA_EXECUTABLE)
      message(FATAL_ERROR "${context}: no strata compiler: the target strata::strata does not "
                          "exist (find_package(strata) or add_subdirectory(strata) first) and no "
                          "`strata` was found. Set STRATA_EXECUTABLE to its path.")
    endif()
  endif()

  if(STRATA_EXECUTABLE MATCHES "/")
    cmake_path(ABSOLUTE_PATH STRATA_EXECUTABLE BASE_DIRECTORY "${CMAKE_BINARY_DIR}" NORMALIZE
               OUTPUT_VARIABLE executable)
  else()
    # A bare name (`-DSTRATA_EXECUTABLE=strata`): look for it on the PATH.
    find_program(executable NAMES "${STRATA_EXECUTABLE}" NO_CACHE)
  endif()
  if(NOT EXISTS "${executable}" OR IS_DIRECTORY "${executable}")
    message(FATAL_ERROR "${context}: STRATA_EXECUTABLE=\"${STRATA_EXECUTABLE}\" is not a file")
  endif()
  if(NOT TARGET strata::host_strata)
    add_executable(strata::host_strata IMPORTED GLOBAL)
  endif()
  # One host compiler per build: if STRATA_EXECUTABLE changes between calls, the last one wins.
  set_target_properties(strata::host_strata PROPERTIES IMPORTED_LOCATION "${executable}")
  set(${out_var} strata::host_strata PARENT_SCOPE)
endfunction()

# _strata_absolute_path(<context> <keyword> <path> <out-var> [DIRECTORY]): <path> made absolute
# against the calling directory's source folder, and checked to exist.
function(_strata_absolute_path context keyword path out_var)
  cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
             OUTPUT_VARIABLE absolute)
  # NORMALIZE keeps a trailing slash from `migrations/`; the compiler's paths should not have it.
  string(REGEX REPLACE "(.)/$" "\\1" absolute "${absolute}")
  if("DIRECTORY" IN_LIST ARGN)
    if(NOT IS_DIRECTORY "${absolute}")
      message(FATAL_ERROR "${context}: ${keyword} \"${path}\" is not a directory "
                          "(looked for ${absolute})")
    endif()
  elseif(NOT EXISTS "${absolute}" OR IS_DIRECTORY "${absolute}")
    message(FATAL_ERROR "${context}: ${keyword} \"${path}\" is not a file (looked for ${absolute}; "
                        "`strata lock --lock <file>` creates a lock file)")
  endif()
  set(${out_var} "${absolute}" PARENT_SCOPE)
endfunction()

# _strata_is_cxx_keyword(<word> <out-var>): whether <word> cannot name a C++ namespace. A list
# inside the function, because variables set at include time are not visible to callers in other
# directories (add_subdirectory consumers).
function(_strata_is_cxx_keyword word out_var)
  set(keywords
    alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
    char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
    co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
    extern false float for friend goto if inline int long mutable namespace new noexcept not
    not_eq nullptr operator or or_eq private protected public register reinterpret_cast requires
    return short signed sizeof static static_assert static_cast struct switch template this
    thread_local throw true try typedef typeid typename union unsigned using virtual void volatile
    wchar_t while xor xor_eq strata std)
  if(word IN_LIST keywords)
    set(${out_var} TRUE PARENT_SCOPE)
  else()
    set(${out_var} FALSE PARENT_SCOPE)
  endif()
endfunction()

function(add_migrations target)
  set(context "add_migrations(${target})")
  set(options WARNINGS_AS_ERRORS)
  set(one_value DIRECTORY ROUTINES NAMESPACE LOCK_FILE ALIAS TABLE)
  set(multi_value IGNORE)
  list(APPEND options REPLAY)
  list(APPEND one_value SCRATCH_URL SCHEMA_SNAPSHOT)
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value}" "${multi_value}")

  # Misspelt or misplaced arguments: name the first one and list what is accepted.
  if(DEFINED arg_UNPARSED_ARGUMENTS)
    list(GET arg_UNPARSED_ARGUMENTS 0 unknown)
    message(FATAL_ERROR "${context}: unknown argument \"${unknown}\"; expected DIRECTORY, "
                        "ROUTINES, NAMESPACE, LOCK_FILE, IGNORE, WARNINGS_AS_ERRORS, ALIAS, "
                        "TABLE, REPLAY, SCRATCH_URL or SCHEMA_SNAPSHOT")
  endif()
  if(DEFINED arg_KEYWORDS_MISSING_VALUES)
    list(JOIN arg_KEYWORDS_MISSING_VALUES ", " missing)
    message(FATAL_ERROR "${context}: ${missing} needs a value")
  endif()
  if(NOT DEFINED arg_DIRECTORY)
    message(FATAL_ERROR "${context}: DIRECTORY <dir> is required (the folder of migrations)")
  endif()

  if(target MATCHES "::" OR NOT target MATCHES "^[A-Za-z0-9_.+-]+$")
    message(FATAL_ERROR "${context}: \"${target}\" is not a valid target name; "
                        "use ALIAS for a namespaced name")
  endif()
  if(TARGET "${target}")
    message(FATAL_ERROR "${context}: a target named \"${target}\" already exists")
  endif()
  if(DEFINED arg_ALIAS AND TARGET "${arg_ALIAS}")
    message(FATAL_ERROR "${context}: ALIAS \"${arg_ALIAS}\" names a target that already exists")
  endif()
  if(NOT TARGET strata::runtime)
    message(FATAL_ERROR "${context}: strata::runtime does not exist; call find_package(strata), "
                        "add_subdirectory(<strata>) or FetchContent_MakeAvailable(strata) first")
  endif()

  # The namespace is also the header's file name, so keep it a plain identifier.
  if(DEFINED arg_NAMESPACE)
    set(namespace "${arg_NAMESPACE}")
  else()
    string(MAKE_C_IDENTIFIER "${target}" namespace)
  endif()
  _strata_is_cxx_keyword("${namespace}" keyword)
  if(NOT namespace MATCHES "^[A-Za-z_][A-Za-z0-9_]*$" OR keyword)
    message(FATAL_ERROR "${context}: NAMESPACE \"${namespace}\" is not a usable C++ identifier "
                        "(letters, digits and _, not a keyword, not nested with ::)")
  endif()

  _strata_absolute_path("${context}" DIRECTORY "${arg_DIRECTORY}" directory DIRECTORY)
  set(generate_args -d "${directory}")
  if(DEFINED arg_ROUTINES)
    _strata_absolute_path("${context}" ROUTINES "${arg_ROUTINES}" routines DIRECTORY)
    list(APPEND generate_args --routines "${routines}")
  endif()
  list(APPEND generate_args --namespace "${namespace}")

  # Without LOCK_FILE the compiler reads <dir>/migrations.lock when it exists, decided at each
  # build (the folder is in the depfile), so a lock file created later needs no reconfigure. A
  # named one must exist: a misspelt path would silently turn the check off.
  if(DEFINED arg_LOCK_FILE)
    _strata_absolute_path("${context}" LOCK_FILE "${arg_LOCK_FILE}" lock_file)
    list(APPEND generate_args --lock "${lock_file}")
  endif()

  # Only .sql files are classified, so a glob that can match none of them is a mistake — most
  # often a keyword misspelt after IGNORE (`IGNORE seed.sql WARNING_AS_ERRORS`).
  foreach(glob IN LISTS arg_IGNORE)
    if(NOT glob MATCHES "[][*?]" AND NOT glob MATCHES "\\.sql$")
      message(FATAL_ERROR "${context}: IGNORE \"${glob}\" can never match a .sql file "
                          "(a misspelt keyword?)")
    endif()
    list(APPEND generate_args --ignore "${glob}")
  endforeach()
  if(arg_WARNINGS_AS_ERRORS)
    list(APPEND generate_args --warnings-as-errors)
  endif()
  # The compiler checks the name as --table is checked at run time (schema.table, quoting).
  if(DEFINED arg_TABLE)
    list(APPEND generate_args --table "${arg_TABLE}")
  endif()

  _strata_compiler_target("${context}" compiler)
  if(compiler STREQUAL "strata::host_strata")
    # A host tool: $<TARGET_FILE> keeps CMake from prepending a cross-compiling emulator.
    set(command "$<TARGET_FILE:strata::host_strata>")
  else()
    # The target name itself: CMake substitutes its path (and the emulator, if one is set).
    set(command strata::strata)
  endif()

  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  set(source "${out}/${namespace}.cpp")
  set(header "${out}/${namespace}.hpp")
  set(depfile "${out}/${namespace}.d")
  add_custom_command(
    OUTPUT "${source}" "${header}"
    COMMAND ${command} generate ${generate_args} --out-dir "${out}" --depfile "${depfile}"
    # File-level: a rebuilt or reinstalled compiler regenerates (COMMAND alone would only order).
    DEPENDS ${compiler}
    # Every file the compiler read and every folder it scanned; absolute paths throughout.
    DEPFILE "${depfile}"
    COMMENT "strata: compiling migrations of ${target} from ${directory}"
    VERBATIM)

  add_library(${target} STATIC "${source}" "${header}")
  if(DEFINED arg_ALIAS)
    add_library(${arg_ALIAS} ALIAS ${target})
  endif()
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${out}>")
  target_link_libraries(${target} PUBLIC strata::runtime)
  target_compile_features(${target} PUBLIC cxx_std_20)
  # Generated code is not the consumer's to lint, and a large table must not join a unity TU.
  set_target_properties(${target} PROPERTIES
    CXX_CLANG_TIDY ""
    CXX_CPPCHECK ""
    CXX_INCLUDE_WHAT_YOU_USE ""
    UNITY_BUILD OFF)
  set_source_files_properties("${source}" PROPERTIES
    SKIP_UNITY_BUILD_INCLUSION ON
    SKIP_PRECOMPILE_HEADERS ON)

  _strata_add_replay("${context}" ${target} "${command}" ${compiler} "${source}" ${generate_args})
endfunction()

# _strata_add_replay(<context> <target> <command> <compiler> <source> <generate-arg>...): the
# REPLAY step of add_migrations(), reading arg_REPLAY, arg_SCRATCH_URL and arg_SCHEMA_SNAPSHOT
# from the caller. It writes a stamp only when `strata replay` succeeds, and the stamp is a source
# of <target>, so the library cannot build without a passing replay.
function(_strata_add_replay context target command compiler source)
  if(NOT arg_REPLAY)
    foreach(keyword IN ITEMS SCRATCH_URL SCHEMA_SNAPSHOT)
      if(DEFINED arg_${keyword})
        message(FATAL_ERROR "${context}: ${keyword} needs REPLAY")
      endif()
    endforeach()
    return()
  endif()
  # What replay reads is what generate reads, minus the compile-only switches.
  set(replay_args "")
  set(skip OFF)
  foreach(argument IN LISTS ARGN)
    if(skip)
      set(skip OFF)
    elseif(argument MATCHES "^--(namespace|lock)$")
      set(skip ON)
    elseif(NOT argument STREQUAL "--warnings-as-errors")
      list(APPEND replay_args "${argument}")
    endif()
  endforeach()
  # Without SCRATCH_URL, the private server cached per user (as root in /var/cache, which the
  # `postgres` user the server runs as can reach): its lock makes two replays of one parallel
  # build take turns, and its templates make a rebuild prove only what changed.
  if(DEFINED arg_SCRATCH_URL)
    list(APPEND replay_args --scratch-url "${arg_SCRATCH_URL}")
  endif()
  set(snapshot "${CMAKE_CURRENT_BINARY_DIR}/${target}_schema.sql")
  list(APPEND replay_args --write-schema "${snapshot}")
  set(depends "")
  if(DEFINED arg_SCHEMA_SNAPSHOT)
    cmake_path(ABSOLUTE_PATH arg_SCHEMA_SNAPSHOT BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
               NORMALIZE OUTPUT_VARIABLE committed)
    # It must exist: the step depends on it, so that editing it checks it again.
    if(NOT EXISTS "${committed}" OR IS_DIRECTORY "${committed}")
      message(FATAL_ERROR "${context}: SCHEMA_SNAPSHOT \"${arg_SCHEMA_SNAPSHOT}\" is not a file "
                          "(looked for ${committed}); build once without it and copy "
                          "${snapshot}, or run `strata replay -d <dir> --write-schema <file>`")
    endif()
    list(APPEND replay_args --check-schema "${committed}")
    set(depends "${committed}")
  endif()
  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${target}/${target}.replayed")
  add_custom_command(
    OUTPUT "${stamp}"
    BYPRODUCTS "${snapshot}"
    # A failed replay must leave no stamp, not even the one of an earlier success.
    COMMAND "${CMAKE_COMMAND}" -E rm -f "${stamp}"
    COMMAND ${command} replay ${replay_args} -v
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS ${compiler} "${source}" ${depends}
    COMMENT "strata: replaying the migrations of ${target} on a scratch PostgreSQL"
    VERBATIM)
  target_sources(${target} PRIVATE "${stamp}")
endfunction()

cmake_policy(POP)
