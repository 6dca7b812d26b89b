# cmake -DBUILD_DIR=<leakguard's build tree> -DPREFIX=<fresh prefix> -P install_fixture.cmake
# `cmake --install` into an empty prefix, then checks the installed layout.
cmake_minimum_required(VERSION 3.14...3.31)
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
foreach(file
    include/leakguard/leakguard.hpp
    share/cmake/leakguard/leakguardConfig.cmake
    share/cmake/leakguard/leakguardConfigVersion.cmake
    share/cmake/leakguard/leakguardTargets.cmake
    share/pkgconfig/leakguard.pc
    share/leakguard/leakguard_main.cpp
    share/leakguard/leakguard_main_gtest.cpp
    share/leakguard/leakguard_main_doctest.cpp
    share/leakguard/leakguard_main_catch2.cpp
    share/doc/leakguard/LICENSE
    bin/leakguard-chart)
  if(NOT EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()
# The chart tool is installed as a program: executable.
execute_process(COMMAND "${PREFIX}/bin/leakguard-chart" --help RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "bin/leakguard-chart does not run (status ${status})")
endif()
# Architecture-independent version file: no pointer-size check for a header-only package.
file(READ "${PREFIX}/share/cmake/leakguard/leakguardConfigVersion.cmake" version_file)
if(NOT version_file MATCHES "requested no architecture check, don't perform the check\nif\\(\"TRUE\"\\)")
  message(FATAL_ERROR "leakguardConfigVersion.cmake is not ARCH_INDEPENDENT")
endif()
# The license travels with the headers (cmake/leakguardInstall.cmake installs it).
file(READ "${PREFIX}/share/doc/leakguard/LICENSE" license)
if(NOT license MATCHES "MIT License")
  message(FATAL_ERROR "share/doc/leakguard/LICENSE is not the MIT license")
endif()
# Relocatable .pc: no absolute path baked in.
file(READ "${PREFIX}/share/pkgconfig/leakguard.pc" pc)
if(NOT pc MATCHES "prefix=\\\${pcfiledir}/")
  message(FATAL_ERROR "leakguard.pc is not relocatable:\n${pc}")
endif()
message("installed into ${PREFIX}")
