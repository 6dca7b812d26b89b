# Consumers without CMake: the compiler is called directly, as a Makefile or a shell script would.
#   cmake -DMODE=single_header -DHEADER=<single_include/leakguard/leakguard.hpp> ...
#   cmake -DMODE=pkg_config -DPKG_CONFIG=<pkg-config> -DPC_DIR=<prefix>/share/pkgconfig ...
# with -DSOURCE=<leak_once.cpp> -DWORK_DIR=<empty scratch dir> -DCXX=<compiler>
# -DCXX_ID=<GNU|Clang> -DCXXFLAGS=<the build's own flags, e.g. sanitizers>.
# Builds leak_once in WORK_DIR, then runs it through expect_leak.cmake; with pkg_config, also
# leak_once_main: the program without LEAKGUARD_MAIN, compiled with pkg-config's main_source.
cmake_minimum_required(VERSION 3.14...3.31)
foreach(var MODE SOURCE WORK_DIR CXX CXX_ID)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} not set")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
separate_arguments(own_flags UNIX_COMMAND "${CXXFLAGS}")

if(MODE STREQUAL "single_header")
  # Only two files in the directory: the program and the copied single header, which it includes
  # as "leakguard.hpp". The flags are the ones docs/integration.md says to pass by hand.
  file(COPY "${HEADER}" "${SOURCE}" DESTINATION "${WORK_DIR}")
  get_filename_component(source_name "${SOURCE}" NAME)
  set(source "${WORK_DIR}/${source_name}")
  set(flags -DLEAK_ONCE_COPIED_HEADER -pthread -fno-optimize-sibling-calls)
  if(CXX_ID STREQUAL "GNU")
    list(APPEND flags -fno-allocation-dce)
  elseif(CXX_ID MATCHES "Clang")
    list(APPEND flags -fno-builtin)
  endif()
  set(libs -pthread)
elseif(MODE STREQUAL "pkg_config")
  set(ENV{PKG_CONFIG_PATH} "${PC_DIR}")
  set(ENV{PKG_CONFIG_LIBDIR} "${PC_DIR}") # only the freshly installed copy, never a system one
  if(CXX_ID STREQUAL "GNU")
    set(variable cxxflags_gcc)
  else()
    set(variable cxxflags_clang)
  endif()
  foreach(query cflags libs variable main_source modversion)
    set(option "--${query}")
    if(query STREQUAL "variable")
      set(option "--variable=${variable}")
    elseif(query STREQUAL "main_source")
      set(option "--variable=main_source")
    endif()
    execute_process(COMMAND "${PKG_CONFIG}" ${option} leakguard RESULT_VARIABLE status
                    OUTPUT_VARIABLE out ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
    message("pkg-config ${option} leakguard: ${out}")
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "pkg-config ${option} leakguard failed: ${err}")
    endif()
    set(pc_${query} "${out}")
  endforeach()
  separate_arguments(flags UNIX_COMMAND "${pc_cflags} ${pc_variable}")
  separate_arguments(libs UNIX_COMMAND "${pc_libs}")
  set(source "${SOURCE}")
else()
  message(FATAL_ERROR "unknown MODE ${MODE}")
endif()

# build_and_expect_leak(NAME SOURCES...): compiles the sources into WORK_DIR/NAME and runs it
# through expect_leak.cmake.
function(build_and_expect_leak name)
  set(program "${WORK_DIR}/${name}")
  set(command "${CXX}" ${own_flags} -std=c++11 -O2 -Wall -Wextra -Wpedantic -Werror ${flags}
              ${ARGN} -o "${program}" ${libs})
  string(REPLACE ";" " " shown "${command}")
  message("${shown}")
  execute_process(COMMAND ${command} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "compiling the consumer ${name} failed")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" "-DPROGRAM=${program}" -P "${CMAKE_CURRENT_LIST_DIR}/expect_leak.cmake"
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the consumer ${name} did not report its leak")
  endif()
endfunction()

build_and_expect_leak(leak_once "${source}")
if(MODE STREQUAL "pkg_config")
  # Without LEAKGUARD_MAIN: the unit is the installed file pkg-config names, added to the sources.
  build_and_expect_leak(leak_once_main -DLEAK_ONCE_LINKED_MAIN "${source}" "${pc_main_source}")
endif()
