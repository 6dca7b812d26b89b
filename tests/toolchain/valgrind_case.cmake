# cmake -DPROGRAM=<case program> -DVALGRIND=<valgrind> -DSUPPRESSIONS=<file> -P valgrind_case.cmake
# Runs the program natively, then under memcheck with leakguard's operators in charge; requires
# the same exit status, leakguard's report in both, and no memcheck error (after suppressions).
cmake_minimum_required(VERSION 3.14...3.31)
execute_process(COMMAND "${PROGRAM}" RESULT_VARIABLE native OUTPUT_VARIABLE native_out ERROR_VARIABLE native_err)
execute_process(COMMAND "${VALGRIND}" --tool=memcheck --error-exitcode=99 --leak-check=no
                        --soname-synonyms=somalloc=nouserintercepts "--suppressions=${SUPPRESSIONS}"
                        "${PROGRAM}"
                RESULT_VARIABLE under OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${err}")
message("native output:\n${native_out}\noutput under valgrind:\n${out}")
message("native exit status ${native}, under valgrind ${under}")
if(NOT err MATCHES "ERROR SUMMARY: 0 errors")
  message(FATAL_ERROR "memcheck found errors")
endif()
if(NOT native STREQUAL under)
  message(FATAL_ERROR "the exit status under valgrind differs from the native one")
endif()
if(native_err MATCHES "leakguard:" AND NOT err MATCHES "leakguard:")
  message(FATAL_ERROR "leakguard did not report under valgrind (were its operators replaced?)")
endif()
