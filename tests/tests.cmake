# Unit tests: one doctest binary per layer, linking only that layer (and the
# ones below it). tests/LAYER/x_test.cc tests LAYER/x.{h,cc}.
foreach(layer sim models loader report analysis app)
  file(GLOB TEST_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${layer}/*_test.cc)
  add_executable(gilsim_${layer}_tests ${PROJECT_SOURCE_DIR}/tests/support/doctest_main.cc ${TEST_SOURCES})
  target_link_libraries(gilsim_${layer}_tests PRIVATE gilsim_${layer} doctest::doctest)
  target_compile_definitions(gilsim_${layer}_tests PRIVATE GILSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # One CTest test per test file, selected by doctest's source-file filter.
  # Not doctest_discover_tests: it passes each test case's name back as a
  # -tc filter, and a name with a ';' (a CMake list separator) or a ','
  # (doctest's filter separator) then matches nothing, so that test case
  # "passed" without running (43 test cases did, until 2026-12-07). A run
  # in which no test case ran fails.
  foreach(src ${TEST_SOURCES})
    get_filename_component(base ${src} NAME_WE)
    add_test(NAME ${layer}.${base} COMMAND gilsim_${layer}_tests -sf=*/tests/${layer}/${base}.cc)
    set_tests_properties(${layer}.${base} PROPERTIES FAIL_REGULAR_EXPRESSION "test cases: +0 [|]")
  endforeach()
endforeach()

# Scenario tests: every YAML file under scenarios/ and tests/scenarios/ must
# load and every expectation in it must hold (exit 0).
file(GLOB SCENARIO_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.yaml
     ${PROJECT_SOURCE_DIR}/scenarios/tutorial/*.yaml
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

# The starter scenarios of `gilsim init` (templates/*.yaml): each as shipped
# must pass `check` and `run` (its own expectations hold), and `gilsim init
# NAME` in an empty directory must write NAME.yaml, which runs the same.
file(GLOB INIT_TEMPLATE_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/templates/*.yaml)
foreach(f ${INIT_TEMPLATE_FILES})
  get_filename_component(base ${f} NAME_WE)
  add_test(NAME template.${base}.check COMMAND gilsim check ${f})
  add_test(NAME template.${base}.run COMMAND gilsim run ${f})
  add_test(NAME template.${base}.init
           COMMAND sh -c "rm -rf \"$1\" && mkdir -p \"$1\" && cd \"$1\" && \"$2\" init \"$3\" && cmp \"$3.yaml\" \"$4\" && \"$2\" check \"$3.yaml\" && \"$2\" run --quiet \"$3.yaml\""
                   sh ${CMAKE_CURRENT_BINARY_DIR}/init_test_${base} $<TARGET_FILE:gilsim> ${base} ${f})
endforeach()

# analysis/plot.sh on the fixture CSVs (tests/plot_test.sh): each KIND makes a
# well-formed SVG with the expected series, and each error is exit code 2.
# gilsim itself is needed for the fitted curves.
foreach(case speedup latency convoy goodput errors)
  add_test(NAME plot.${case}
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/plot_test.sh ${PROJECT_SOURCE_DIR}
                   $<TARGET_FILE:gilsim> ${PROJECT_BINARY_DIR}/plot_test/${case} ${case})
endforeach()

# analysis/report.sh (tests/report_test.sh): the page has the claims table's
# rows and plots whose <img> resolve; text is escaped; errors are exit code 2.
foreach(case page escaping errors axes)
  add_test(NAME report.${case}
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/report_test.sh ${PROJECT_SOURCE_DIR}
                   $<TARGET_FILE:gilsim> ${PROJECT_BINARY_DIR}/report_test/${case} ${case})
endforeach()

# Sweeps: shell tests of whole `gilsim sweep` / `gilsim merge` runs, each in a
# directory of its own under the build tree.
foreach(t shard jobs resume)
  add_test(NAME sweep.${t}
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/sweep_${t}_test.sh $<TARGET_FILE:gilsim>
                   ${PROJECT_SOURCE_DIR}/tests/sweeps/$<IF:$<STREQUAL:${t},resume>,resume.yaml,tiny.yaml>
                   ${CMAKE_CURRENT_BINARY_DIR}/sweep_${t}_test)
endforeach()

# The example sweeps under analysis/sweeps/ must run (each takes ~0.1 s).
file(GLOB EXAMPLE_SWEEPS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/analysis/sweeps/*.yaml)
foreach(f ${EXAMPLE_SWEEPS})
  get_filename_component(base ${f} NAME_WE)
  add_test(NAME sweep.example.${base}
           COMMAND sh -c "rm -rf \"$1\" && \"$2\" sweep \"$3\" --out \"$1\" --jobs 2"
                   sh ${CMAKE_CURRENT_BINARY_DIR}/sweep_example_${base} $<TARGET_FILE:gilsim> ${f})
endforeach()

# docs/analysis.md's first command: analysis/examples.sh (sweeps, fits, plots, the
# report page), checked end to end (tests/examples_test.sh; needs gnuplot).
add_test(NAME analysis.examples
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/examples_test.sh $<TARGET_FILE:gilsim>
                 ${PROJECT_SOURCE_DIR}/analysis/examples.sh ${CMAKE_CURRENT_BINARY_DIR}/examples_test)

# The twins of gilsim validate's programs (validation/*.yaml): each checks
# and runs as shipped, and its expectations hold.
file(GLOB VALIDATION_TWINS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/validation/*.yaml)
foreach(f ${VALIDATION_TWINS})
  get_filename_component(base ${f} NAME_WE)
  add_test(NAME validation.twin.${base}.check COMMAND gilsim check ${f})
  add_test(NAME validation.twin.${base}.run COMMAND gilsim run ${f})
endforeach()
# validate and calibrate on recorded measurements, their options and their
# errors (tests/validation_test.sh); no Python runs.
add_test(NAME validation.commands
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/validation_test.sh $<TARGET_FILE:gilsim>
                 ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/validation_test)
# Issue 10's must-show on the recorded measurements of the project's VM:
# calibrate's fit gives the shipped profile, and validate with it keeps the
# count-down, hand-off and convoy rows within (tests/fidelity_test.sh).
# Under the sanitizers calibrate's search (some 2,000 twin runs, 45 s in
# Release) would take tens of minutes: that build checks validate's rows
# only; the search's code runs under them in tests/analysis/
# calibration_mechanism_test.cc, and the Release build checks its result.
if(GILSIM_SANITIZE)
  set(GILSIM_FIDELITY_FIT skip-fit)
else()
  set(GILSIM_FIDELITY_FIT fit)
endif()
add_test(NAME validation.fidelity_amd_epyc
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/fidelity_test.sh $<TARGET_FILE:gilsim>
                 ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/fidelity_test ${GILSIM_FIDELITY_FIT}
                 amd-epyc-2vcpu)
# The second recording of the same VM: calibrate and validate in one quiet
# sitting, at an hour when its wake-ups were slow and 2.7's battle mild.
add_test(NAME validation.fidelity_amd_epyc_slow_wakeups
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/fidelity_test.sh $<TARGET_FILE:gilsim>
                 ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/fidelity_test_slow_wakeups
                 ${GILSIM_FIDELITY_FIT} amd-epyc-2vcpu-slow-wakeups)
# An Intel Xeon VM of the same kind, calibrated and validated in one sitting.
add_test(NAME validation.fidelity_intel_xeon
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/fidelity_test.sh $<TARGET_FILE:gilsim>
                 ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/fidelity_test_intel_xeon
                 ${GILSIM_FIDELITY_FIT} intel-xeon-2vcpu)

# The calibration's gilsim twin of server_check.py must stay a valid sweep.
add_test(NAME calibration.server_check
         COMMAND gilsim check ${PROJECT_SOURCE_DIR}/analysis/calibration/server_check.yaml)

# The golden check (tests/golden/golden.sh): every output of the shipped
# scenarios and sweeps (text, JSON, CSV, traces, SVG) and the benchmark's
# event counts, hashed, as tests/golden/SHA256SUMS has them. A change meant
# to change results rewrites that file with --update and says so.
add_test(NAME golden
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/golden/golden.sh $<TARGET_FILE:gilsim>
                 ${CMAKE_CURRENT_BINARY_DIR}/golden)

# cmake --install into a temporary prefix (tests/install_test.sh).
add_test(NAME install COMMAND sh ${PROJECT_SOURCE_DIR}/tests/install_test.sh ${PROJECT_BINARY_DIR}
                              ${PROJECT_BINARY_DIR}/install_test)

# The README's tutorial scenario is the file it names, word for word.
add_test(NAME readme.tutorial
         COMMAND sh -c "sed -n '/<!-- tutorial:begin -->/,/<!-- tutorial:end -->/p' \"$0\" | sed '1,2d;$d' | sed '$d' | diff - \"$1\""
                 ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/scenarios/tutorial/first.yaml)

# --profile: the reference profile is the built-in costs; a profile's costs
# reach the run; its errors (tests/profile_test.sh).
# A measured machine's profile reproduces what was measured on it: 2.7's GIL
# battle on the AMD EPYC VM (tests/profiled/*.yaml need their profile).
add_test(NAME profile.amd_old_gil_battle
         COMMAND gilsim run ${PROJECT_SOURCE_DIR}/tests/profiled/old_gil_battle.yaml
                 --profile ${PROJECT_SOURCE_DIR}/profiles/amd-epyc-2vcpu-battle.yaml)
add_test(NAME profile COMMAND sh ${PROJECT_SOURCE_DIR}/tests/profile_test.sh $<TARGET_FILE:gilsim>
                              ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/profile_test)
# The findings of issue 12 (tests/robust_test.sh): long names, deep
# expressions, YAML aliases, operation counts, output files, I/O errors,
# signals, the progress line, sweep folders.
foreach(case names expressions aliases operations outputs io_errors signals progress sweeps)
  add_test(NAME robust.${case}
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/robust_test.sh $<TARGET_FILE:gilsim>
                   ${PROJECT_BINARY_DIR}/robust_test/${case} ${case})
endforeach()
