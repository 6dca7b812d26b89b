# The link targets that hold leakguard's LEAKGUARD_MAIN unit, so that a program links one of them
# instead of defining LEAKGUARD_MAIN in a file of its own (the way GTest::gtest_main holds main()):
#
#   leakguard::main          main/leakguard_main.cpp: the tracker (operator new/delete, its state)
#   leakguard::main_gtest    the same with the GoogleTest adapter's part (main/leakguard_main_gtest.cpp)
#   leakguard::main_doctest  the same with the doctest adapter's part
#   leakguard::main_catch2   the same with the Catch2 v2 adapter's part
#
# A program links exactly one of them. Each is an INTERFACE library whose INTERFACE_SOURCES is its
# two-line source, so the unit is compiled as part of the target that links it, with that target's
# flags (sanitizers, -D options such as LEAKGUARD_CHECK_ALL_TESTS, the C++ standard), and is an
# object file of its own: pulled out of a static library for operator new, it brings no main().
# Link it to the executable, or PRIVATE to a static library (which then holds the unit as a member
# of its own); not to a shared library that executables also link it beside.
#
# The adapter targets do not link their framework and do not look for it: the program links the
# framework it uses (GTest::gtest, doctest::doctest, Catch2::Catch2 or a vendored copy), which puts
# its header on the include path. Defined always, they cost nothing until linked.
# Included from the root CMakeLists.txt after the target leakguard is defined.

set(_leakguard_main_sources
  main leakguard_main.cpp
  main_gtest leakguard_main_gtest.cpp
  main_doctest leakguard_main_doctest.cpp
  main_catch2 leakguard_main_catch2.cpp)
set(LEAKGUARD_INSTALL_MAINDIR "${CMAKE_INSTALL_DATADIR}/leakguard" CACHE STRING
    "Where the sources of leakguard::main and its adapter variants are installed (relative to the prefix)")
mark_as_advanced(LEAKGUARD_INSTALL_MAINDIR)

set(LEAKGUARD_MAIN_TARGETS "") # for the install rules (cmake/leakguardInstall.cmake)
set(LEAKGUARD_MAIN_SOURCES "")
list(LENGTH _leakguard_main_sources _n)
math(EXPR _last "${_n} - 1")
foreach(_i RANGE 0 ${_last} 2)
  math(EXPR _j "${_i} + 1")
  list(GET _leakguard_main_sources ${_i} _name)
  list(GET _leakguard_main_sources ${_j} _file)
  add_library(leakguard_${_name} INTERFACE)
  add_library(leakguard::${_name} ALIAS leakguard_${_name})
  # Exported (find_package) as leakguard::<name>, like the alias.
  set_target_properties(leakguard_${_name} PROPERTIES EXPORT_NAME ${_name})
  target_link_libraries(leakguard_${_name} INTERFACE leakguard)
  # $<INSTALL_PREFIX> becomes the installed package's own prefix, found from its files' place.
  target_sources(leakguard_${_name} INTERFACE
    "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/main/${_file}>"
    "$<INSTALL_INTERFACE:$<INSTALL_PREFIX>/${LEAKGUARD_INSTALL_MAINDIR}/${_file}>")
  list(APPEND LEAKGUARD_MAIN_TARGETS leakguard_${_name})
  list(APPEND LEAKGUARD_MAIN_SOURCES "${PROJECT_SOURCE_DIR}/main/${_file}")
endforeach()
