# Read by ctest after the tests catch_discover_tests() found in cli_adopt_tests: each needs the
# cluster and the real dbmate. (Set here because a list does not survive catch_discover_tests'
# PROPERTIES.)
set_tests_properties(${cli_adopt_tests_TESTS} PROPERTIES FIXTURES_REQUIRED "pg;dbmate")
