# Unit tests: one doctest binary, x_test.cc beside the names of what they test.
file(GLOB TEST_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/*_test.cc)
add_executable(gilsim_tests ${PROJECT_SOURCE_DIR}/tests/doctest_main.cc ${TEST_SOURCES})
target_link_libraries(gilsim_tests PRIVATE gilsim_app doctest::doctest)
target_compile_definitions(gilsim_tests PRIVATE GILSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
include(doctest)
doctest_discover_tests(gilsim_tests)

# Scenario tests: every YAML file under scenarios/ and tests/scenarios/ must
# load and every expectation in it must hold (exit 0).
file(GLOB SCENARIO_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.yaml
     ${PROJECT_SOURCE_DIR}/tests/scenarios/*.yaml)
foreach(f ${SCENARIO_TESTS})
  get_filename_component(base ${f} NAME_WE)
  add_test(NAME scenario.${base} COMMAND gilsim run ${f})
endforeach()

# Bad-input files: each must be rejected with exit code 2 and its message.
# tests/bad/NAME.yaml holds the file; its first line is `# expect: TEXT` with
# text the error message must contain.
file(GLOB BAD_INPUTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/bad/*.yaml)
foreach(f ${BAD_INPUTS})
  get_filename_component(base ${f} NAME_WE)
  add_test(NAME bad_input.${base}
           COMMAND ${CMAKE_COMMAND} -DGILSIM=$<TARGET_FILE:gilsim> -DFILE=${f}
                   -P ${PROJECT_SOURCE_DIR}/tests/check_bad_input.cmake)
endforeach()

add_test(NAME cli.claims COMMAND gilsim claims)

# analysis/plot.sh on the fixture CSVs (tests/plot_test.sh): each KIND makes a
# well-formed SVG with the expected series, and each error is exit code 2.
# gilsim itself is needed for the fitted curves.
foreach(case speedup latency convoy errors)
  add_test(NAME plot.${case}
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/plot_test.sh ${PROJECT_SOURCE_DIR}
                   $<TARGET_FILE:gilsim> ${PROJECT_BINARY_DIR}/plot_test/${case} ${case})
endforeach()

# analysis/report.sh (tests/report_test.sh): the page has the claims table's
# rows and plots whose <img> resolve; text is escaped; errors are exit code 2.
foreach(case page escaping errors)
  add_test(NAME report.${case}
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/report_test.sh ${PROJECT_SOURCE_DIR}
                   $<TARGET_FILE:gilsim> ${PROJECT_BINARY_DIR}/report_test/${case} ${case})
endforeach()
