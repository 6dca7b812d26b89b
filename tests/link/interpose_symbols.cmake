# cmake -DCXX=<compiler> -DNM=<nm> -DINCLUDE=<dir> -DSOURCE=<a LEAKGUARD_MAIN unit> -DOUT=<dir>
#       -P interpose_symbols.cmake
# Which functions of the malloc family the LEAKGUARD_MAIN unit defines for the program: compiled
# with every C allocation tracked (LEAKGUARD_DETAIL_INTERPOSE_ALLOC=1) it defines all eleven;
# with -DLEAKGUARD_NO_INTERPOSE as well, none (glibc's serve the program); with the option at 0
# only the four that take a pointer.
cmake_minimum_required(VERSION 3.14...3.31)
set(all malloc calloc realloc reallocarray free memalign posix_memalign aligned_alloc valloc pvalloc
        malloc_usable_size)
set(pointer_only realloc reallocarray free malloc_usable_size)

# defined_functions(<var> <flags...>): the malloc-family functions the unit defines with <flags>.
function(defined_functions var)
  set(object "${OUT}/interpose_symbols.o")
  execute_process(COMMAND "${CXX}" -std=c++11 -c ${ARGN} "-I${INCLUDE}" "${SOURCE}" -o "${object}"
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "compiling ${SOURCE} with ${ARGN} failed:\n${err}")
  endif()
  execute_process(COMMAND "${NM}" -g --defined-only "${object}" OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm failed")
  endif()
  set(found "")
  foreach(name IN LISTS all)
    if(symbols MATCHES " T ${name}\n")
      list(APPEND found ${name})
    endif()
  endforeach()
  set(${var} "${found}" PARENT_SCOPE)
endfunction()

defined_functions(with_alloc -DLEAKGUARD_DETAIL_INTERPOSE_ALLOC=1)
defined_functions(switched_off -DLEAKGUARD_DETAIL_INTERPOSE_ALLOC=1 -DLEAKGUARD_NO_INTERPOSE)
defined_functions(option_off -DLEAKGUARD_DETAIL_INTERPOSE_ALLOC=0)
message("every C allocation tracked: ${with_alloc}\nwith LEAKGUARD_NO_INTERPOSE: ${switched_off}\n"
        "with the option at 0: ${option_off}")
if(NOT with_alloc STREQUAL all)
  message(FATAL_ERROR "with LEAKGUARD_DETAIL_INTERPOSE_ALLOC=1 the unit must define: ${all}")
endif()
if(NOT switched_off STREQUAL "")
  message(FATAL_ERROR "LEAKGUARD_NO_INTERPOSE must switch every definition off")
endif()
if(NOT option_off STREQUAL pointer_only)
  message(FATAL_ERROR "with LEAKGUARD_DETAIL_INTERPOSE_ALLOC=0 the unit must define: ${pointer_only}")
endif()
