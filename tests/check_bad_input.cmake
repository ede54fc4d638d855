# Runs `gilsim check FILE` and requires exit code 2 and an error message that
# contains the text on the file's first line (`# expect: TEXT`). The file is
# read with file(READ), not file(STRINGS), so that `;` in TEXT survives.
file(READ ${FILE} content)
string(REGEX MATCH "^# expect: [^\n]*" first "${content}")
string(REGEX REPLACE "^# expect: " "" wanted "${first}")
if(wanted STREQUAL "")
  message(FATAL_ERROR "${FILE} does not start with '# expect: TEXT'")
endif()
execute_process(COMMAND ${GILSIM} check ${FILE} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "exit code ${rc}, wanted 2\nstdout: ${out}\nstderr: ${err}")
endif()
string(FIND "${err}" "${wanted}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the message does not contain '${wanted}':\n${err}")
endif()
message(STATUS "${err}")
