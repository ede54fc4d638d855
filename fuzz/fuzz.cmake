# The fuzz targets (fuzz/README.md). With GILSIM_FUZZ=ON (clang only) each is
# a libFuzzer binary, everything built with -fsanitize=fuzzer-no-link and the
# sanitizers; in every build each is also a replay binary that CTest runs on
# the committed corpus fuzz/corpus/TARGET/.
foreach(target scenario expr)
  if(target STREQUAL "scenario")
    set(fuzz_libs gilsim_report)
  else()
    set(fuzz_libs gilsim_loader)
  endif()
  add_executable(gilsim_fuzz_${target}_replay ${PROJECT_SOURCE_DIR}/fuzz/${target}_fuzz.cc
                 ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cc)
  target_link_libraries(gilsim_fuzz_${target}_replay PRIVATE ${fuzz_libs})
  add_test(NAME fuzz_corpus.${target}
           COMMAND gilsim_fuzz_${target}_replay ${PROJECT_SOURCE_DIR}/fuzz/corpus/${target})
  if(GILSIM_FUZZ)
    add_executable(gilsim_fuzz_${target} ${PROJECT_SOURCE_DIR}/fuzz/${target}_fuzz.cc)
    target_link_libraries(gilsim_fuzz_${target} PRIVATE ${fuzz_libs})
    target_link_options(gilsim_fuzz_${target} PRIVATE -fsanitize=fuzzer)
  endif()
endforeach()
