# cmake -DPROGRAM=<path> -P expect_leak.cmake
# Runs a consumer's leak_once program and requires what leakguard does for it: exit status 23 and
# a report of the one 10-byte block, definitely lost.
cmake_minimum_required(VERSION 3.14...3.31)
if(NOT DEFINED PROGRAM)
  message(FATAL_ERROR "PROGRAM not set")
endif()
execute_process(COMMAND "${PROGRAM}" RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${PROGRAM}: exit status ${status}\n${err}")
if(NOT status STREQUAL "23")
  message(FATAL_ERROR "expected leakguard's exit status 23, got '${status}'")
endif()
if(NOT err MATCHES "leakguard: 10 bytes in 1 block lost at exit" OR NOT err MATCHES "10 bytes in 1 block definitely lost")
  message(FATAL_ERROR "leakguard's report of the one 10-byte block is missing")
endif()
