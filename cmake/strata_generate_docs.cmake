# cmake -P: writes the man page and the shell completions of the `strata` at STRATA into SHARE
# (the layout they are installed in). Run at build time by cmake/StrataPackage.cmake.
foreach(required STRATA SHARE)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "strata_generate_docs: -D${required}=... is required")
  endif()
endforeach()

# Outside any project folder, so no .env changes what the tool prints.
set(quiet_folder "${SHARE}/.generating")
file(MAKE_DIRECTORY "${quiet_folder}")
foreach(pair
    "man;man/man1/strata.1"
    "completion;bash;bash-completion/completions/strata"
    "completion;zsh;zsh/vendor-completions/_strata"
    "completion;fish;fish/vendor_completions.d/strata.fish")
  list(POP_BACK pair output)
  get_filename_component(folder "${SHARE}/${output}" DIRECTORY)
  file(MAKE_DIRECTORY "${folder}")
  execute_process(COMMAND "${STRATA}" ${pair} WORKING_DIRECTORY "${quiet_folder}"
                  OUTPUT_FILE "${SHARE}/${output}" RESULT_VARIABLE rc ERROR_VARIABLE error)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "strata ${pair} failed (${rc}): ${error}")
  endif()
endforeach()
