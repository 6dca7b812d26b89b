# Toolchain checks (included from tests/packaging/CMakeLists.txt):
#
#   leakguard_unit_tests_cxx14        the unit tests at a standard tests/unit does not build
#                                     (it builds 11 and 17; 20 and 23 wait for a fix, see below)
#   toolchain.api_cxx14/20/23         a program using the whole API, at C++14, 20 and 23
#   toolchain.no_exceptions           a program using the whole API, built with -fno-exceptions
#   toolchain.extra_warnings          the same with -Wshadow (both compilers) and -Wconversion
#                                     -Wsign-conversion (clang: whole header; g++: the public part,
#                                     see below)
#   toolchain.clang_tidy_cxx11/17     clang-tidy (the root .clang-tidy) on that program and leakguard's
#                                     headers (clang builds)
#   toolchain.clang_format            clang-format (the root .clang-format) on the files held to it
#   valgrind.<case>                   LEAKGUARD_TEST_VALGRIND=ON: every tracked case program under memcheck
#
# The compiler-side checks run in plain builds only: a sanitizer build (-fsanitize in
# CMAKE_CXX_FLAGS) already runs the suite they extend.

string(FIND "${CMAKE_CXX_FLAGS}" "-fsanitize" _lg_sanitizer_at)
if(_lg_sanitizer_at EQUAL -1)
  set(_lg_plain_build TRUE)
else()
  set(_lg_plain_build FALSE)
endif()
set(_lg_strict -Wall -Wextra -Wpedantic -Werror)

if(_lg_plain_build AND LEAKGUARD_TEST_MATRIX)
  # --- The standard matrix: the unit tests' own source lists at C++14 (tests/unit builds 11, 17).
  function(_leakguard_unit_at_standard name standard from)
    get_target_property(sources ${from} SOURCES)
    get_target_property(dir ${from} SOURCE_DIR)
    list(TRANSFORM sources PREPEND "${dir}/" REGEX "^[^/]")
    add_executable(${name} ${sources})
    target_link_libraries(${name} PRIVATE leakguard::leakguard doctest::doctest)
    set_target_properties(${name} PROPERTIES
      CXX_STANDARD ${standard} CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
    target_compile_options(${name} PRIVATE ${_lg_strict})
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES LABELS standards)
  endfunction()
  # The unit suite runs at C++17 and 11 under both compilers (tests/unit), at 14 under clang++ and
  # at 20 under g++; the API tour below runs at 20 and 23 under both.
  if(TARGET leakguard_unit_tests_cxx11 AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    _leakguard_unit_at_standard(leakguard_unit_tests_cxx14 14 leakguard_unit_tests_cxx11)
  endif()
  if(TARGET leakguard_unit_tests AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # C++20: the unit tests' LEAKGUARD_MAIN unit runs doctest's static registration before
    # leakguard's globals; this build failed ("0 allocations") until every global of the
    # implementation was defined with `{}` (constant initialisation with C++20's constexpr atomics).
    _leakguard_unit_at_standard(leakguard_unit_tests_cxx20 20 leakguard_unit_tests)
  endif()
  # The whole API at C++14, 20 and 23 without doctest: built and run.
  set(_lg_later_standards 14 20)
  if("cxx_std_23" IN_LIST CMAKE_CXX_COMPILE_FEATURES)
    list(APPEND _lg_later_standards 23)
  endif()
  foreach(std IN LISTS _lg_later_standards)
    add_executable(leakguard_toolchain_api_cxx${std} api_tour.cpp)
    target_link_libraries(leakguard_toolchain_api_cxx${std} PRIVATE leakguard::leakguard)
    set_target_properties(leakguard_toolchain_api_cxx${std} PROPERTIES
      CXX_STANDARD ${std} CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
    target_compile_options(leakguard_toolchain_api_cxx${std} PRIVATE ${_lg_strict})
    add_test(NAME toolchain.api_cxx${std} COMMAND leakguard_toolchain_api_cxx${std})
  endforeach()

  # --- -fno-exceptions: the header compiles and works. Without exceptions, a throwing
  # operator new that cannot allocate (and has no new_handler) calls abort() instead of throwing
  # std::bad_alloc; the nothrow forms still return nullptr.
  add_executable(leakguard_toolchain_no_exceptions api_tour.cpp)
  target_link_libraries(leakguard_toolchain_no_exceptions PRIVATE leakguard::leakguard)
  target_compile_options(leakguard_toolchain_no_exceptions PRIVATE ${_lg_strict} -fno-exceptions)
  add_test(NAME toolchain.no_exceptions COMMAND leakguard_toolchain_no_exceptions)

  # --- Stricter warnings on leakguard's own headers: -Wshadow -Wconversion -Wsign-conversion on
  # the whole implementation (LEAKGUARD_MAIN) with both mappings, under both compilers.
  add_executable(leakguard_toolchain_extra_warnings api_tour.cpp)
  target_link_libraries(leakguard_toolchain_extra_warnings PRIVATE leakguard::leakguard)
  target_compile_options(leakguard_toolchain_extra_warnings PRIVATE ${_lg_strict} -Wshadow -Wconversion -Wsign-conversion)
  add_test(NAME toolchain.extra_warnings COMMAND leakguard_toolchain_extra_warnings)
  add_test(NAME toolchain.extra_warnings_public_headers
           COMMAND "${CMAKE_CXX_COMPILER}" -std=c++17 ${_lg_strict} -Wshadow -Wconversion -Wsign-conversion
                   -fsyntax-only -DAPI_TOUR_PUBLIC_ONLY "-I${PROJECT_SOURCE_DIR}/include"
                   "${CMAKE_CURRENT_SOURCE_DIR}/api_tour.cpp")
  add_test(NAME toolchain.extra_warnings_mapped
           COMMAND "${CMAKE_CXX_COMPILER}" -std=c++11 ${_lg_strict} -Wshadow -Wconversion -Wsign-conversion
                   -fsyntax-only -DLEAKGUARD_MAP_MALLOC -DLEAKGUARD_MAP_NEW "-I${PROJECT_SOURCE_DIR}/include"
                   "${CMAKE_CURRENT_SOURCE_DIR}/api_tour.cpp")

  # --- clang-tidy with the root .clang-tidy (a focused set that the code passes today; see the
  # comments there), on the API tour and every leakguard header it pulls in.
  # In the clang builds only: clang-tidy parses as clang does, and once per test run is enough.
  # At C++17 only: the C++11 run found nothing the C++17 one did not, and took another minute.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    find_program(LEAKGUARD_CLANG_TIDY NAMES clang-tidy-14 clang-tidy)
    if(LEAKGUARD_CLANG_TIDY)
      foreach(std 17)
        add_test(NAME toolchain.clang_tidy_cxx${std}
                 COMMAND "${LEAKGUARD_CLANG_TIDY}" --quiet "--warnings-as-errors=*"
                         "${CMAKE_CURRENT_SOURCE_DIR}/api_tour.cpp"
                         -- -std=c++${std} "-I${PROJECT_SOURCE_DIR}/include")
        set_tests_properties(toolchain.clang_tidy_cxx${std} PROPERTIES TIMEOUT 300)
      endforeach()
    else()
      message(STATUS "clang-tidy not found: the clang-tidy check is not run")
    endif()
  endif()

  # --- clang-format with the root .clang-format, on every C++ file of the project. The case
  # programs, the stacks tests and the adapter tests have a .clang-format that turns formatting
  # off: tests check line numbers in them.
  find_program(LEAKGUARD_CLANG_FORMAT NAMES clang-format-14 clang-format)
  if(LEAKGUARD_CLANG_FORMAT)
    set(_lg_root "${PROJECT_SOURCE_DIR}")
    file(GLOB_RECURSE _lg_formatted CONFIGURE_DEPENDS
      "${_lg_root}/include/*.hpp" "${_lg_root}/tests/*.cpp" "${_lg_root}/tests/*.hpp"
      "${_lg_root}/examples/*.cpp" "${_lg_root}/examples/*.hpp" "${_lg_root}/benchmarks/*.cpp"
      "${_lg_root}/benchmarks/*.hpp")
    add_test(NAME toolchain.clang_format
             COMMAND "${LEAKGUARD_CLANG_FORMAT}" --dry-run --Werror ${_lg_formatted})
  else()
    message(STATUS "clang-format not found: the clang-format check is not run")
  endif()

  get_property(_lg_all_tests DIRECTORY PROPERTY TESTS)
  list(FILTER _lg_all_tests INCLUDE REGEX "^toolchain\\.")
  set_tests_properties(${_lg_all_tests} PROPERTIES LABELS toolchain)
endif()

# --- valgrind: every tracked case program (tests/cases) run natively and under memcheck; the two
# runs must end with the same status and memcheck must find no error. leakguard's own operators
# must be the ones in use, so valgrind is told not to replace the executable's operator new
# (--soname-synonyms=somalloc=nouserintercepts). One read is suppressed (tests/valgrind.supp):
# the ownership test reads the 4-byte cookie in front of a pointer that may not be leakguard's
# (ignore() of a malloc'd block) or was already freed (a double free), by design. The suppression
# names the function that reads, so it needs a Debug build, where that function is not inlined.
option(LEAKGUARD_TEST_VALGRIND "Run leakguard's case programs under valgrind memcheck (build type Debug)" OFF)
if(LEAKGUARD_TEST_VALGRIND)
  find_program(LEAKGUARD_VALGRIND NAMES valgrind REQUIRED)
  if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
    message(WARNING "LEAKGUARD_TEST_VALGRIND wants CMAKE_BUILD_TYPE=Debug: with inlining the "
                    "suppression of the cookie read may not match")
  endif()
  get_property(_lg_case_targets DIRECTORY "${PROJECT_SOURCE_DIR}/tests/cases" PROPERTY BUILDSYSTEM_TARGETS)
  list(FILTER _lg_case_targets INCLUDE REGEX "^leakguard_case_")
  list(FILTER _lg_case_targets EXCLUDE REGEX "_plain$|_lib$") # plain builds; shared libraries of cases
  add_custom_target(leakguard_valgrind_programs)
  foreach(target IN LISTS _lg_case_targets)
    string(REGEX REPLACE "^leakguard_case_" "" case "${target}")
    add_dependencies(leakguard_valgrind_programs ${target})
    add_test(NAME valgrind.${case}
             COMMAND "${CMAKE_COMMAND}" "-DPROGRAM=$<TARGET_FILE:${target}>" "-DVALGRIND=${LEAKGUARD_VALGRIND}"
                     "-DSUPPRESSIONS=${PROJECT_SOURCE_DIR}/tests/valgrind.supp"
                     -P "${CMAKE_CURRENT_SOURCE_DIR}/valgrind_case.cmake")
    set_tests_properties(valgrind.${case} PROPERTIES LABELS valgrind TIMEOUT 600)
  endforeach()
endif()
