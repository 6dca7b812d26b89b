# Install rules (LEAKGUARD_INSTALL, on by default at top level): the headers, a CMake package
# (share/cmake/leakguard: leakguardConfig.cmake, an architecture-independent version file and the
# exported targets leakguard::leakguard and leakguard::main and its adapter variants), the sources
# of those (share/leakguard/leakguard_main*.cpp), a relocatable share/pkgconfig/leakguard.pc, the
# chart tool (bin/leakguard-chart) and the LICENSE (share/doc/leakguard/LICENSE: the MIT terms must
# travel with every copy).
# Included from the root CMakeLists.txt after the target is defined.
include(CMakePackageConfigHelpers)

# share/, not lib/: a header-only package is the same on every architecture.
set(LEAKGUARD_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/leakguard" CACHE STRING
    "Where leakguard's CMake package files are installed (relative to the prefix)")
set(LEAKGUARD_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig" CACHE STRING
    "Where leakguard.pc is installed (relative to the prefix)")
mark_as_advanced(LEAKGUARD_INSTALL_CMAKEDIR LEAKGUARD_INSTALL_PKGCONFIGDIR)

# The headers the build uses: include/ (readable sources) or, with LEAKGUARD_SINGLE_INCLUDE, the
# generated single header (and the adapter headers next to it).
install(DIRECTORY "${_leakguard_include}/leakguard" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

# The MIT license asks that its notice go with every copy of the headers.
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/leakguard")

# tools/leakguard-chart (Python 3, standard library only): a monitor file as a chart or folded stacks.
install(PROGRAMS "${PROJECT_SOURCE_DIR}/tools/leakguard-chart" DESTINATION "${CMAKE_INSTALL_BINDIR}")

install(TARGETS leakguard ${LEAKGUARD_MAIN_TARGETS} EXPORT leakguardTargets)
# The sources of leakguard::main and its variants (cmake/leakguardMain.cmake): the installed
# targets compile them from here, and pkg-config users add one to their sources (leakguard.pc).
install(FILES ${LEAKGUARD_MAIN_SOURCES} DESTINATION "${LEAKGUARD_INSTALL_MAINDIR}")
install(EXPORT leakguardTargets NAMESPACE leakguard:: DESTINATION "${LEAKGUARD_INSTALL_CMAKEDIR}")

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/leakguardConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/leakguardConfig.cmake"
  INSTALL_DESTINATION "${LEAKGUARD_INSTALL_CMAKEDIR}")
# 0.x: a minor version may break the API, so 0.1 accepts only 0.1.*; from 1.0 on, same major.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_leakguard_compat SameMinorVersion)
else()
  set(_leakguard_compat SameMajorVersion)
endif()
# ARCH_INDEPENDENT: no check that the consumer's pointer size matches the installing build's.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/leakguardConfigVersion.cmake"
  COMPATIBILITY ${_leakguard_compat} ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/leakguardConfig.cmake"
              "${PROJECT_BINARY_DIR}/leakguardConfigVersion.cmake"
        DESTINATION "${LEAKGUARD_INSTALL_CMAKEDIR}")

# pkg-config. The prefix is written relative to the .pc file's own directory, so the installed
# tree works wherever it ends up (cmake --install --prefix, DESTDIR, a copied directory).
# The flags mirror the CMake target's: threads, -ldl where dladdr1 is not in libc itself,
# -fno-optimize-sibling-calls and -fno-omit-frame-pointer (for both compilers) and, as variables, the compiler-specific
# flags that keep new-expressions from being removed.
file(RELATIVE_PATH LEAKGUARD_PC_RELATIVE_PREFIX
     "/prefix/${LEAKGUARD_INSTALL_PKGCONFIGDIR}" "/prefix")
string(REGEX REPLACE "/$" "" LEAKGUARD_PC_RELATIVE_PREFIX "${LEAKGUARD_PC_RELATIVE_PREFIX}")
set(LEAKGUARD_PC_CFLAGS "")
if(NOT LEAKGUARD_KEEP_SIBLING_CALLS)
  string(APPEND LEAKGUARD_PC_CFLAGS " -fno-optimize-sibling-calls")
endif()
if(NOT LEAKGUARD_KEEP_FRAME_POINTER_OMISSION)
  string(APPEND LEAKGUARD_PC_CFLAGS " -fno-omit-frame-pointer")
endif()
set(LEAKGUARD_PC_LIBS "")
foreach(_lib IN LISTS CMAKE_DL_LIBS)
  string(APPEND LEAKGUARD_PC_LIBS " -l${_lib}")
endforeach()
if(LEAKGUARD_KEEP_NEW_ELISION)
  set(LEAKGUARD_PC_GCC_FLAGS "")
  set(LEAKGUARD_PC_CLANG_FLAGS "")
else()
  # -fno-allocation-dce: GCC 10 and later (GCC 15 also wants -fno-assume-sane-operators-new-delete).
  set(LEAKGUARD_PC_GCC_FLAGS "-fno-allocation-dce")
  set(LEAKGUARD_PC_CLANG_FLAGS "-fno-builtin")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/leakguard.pc.in" "${PROJECT_BINARY_DIR}/leakguard.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/leakguard.pc" DESTINATION "${LEAKGUARD_INSTALL_PKGCONFIGDIR}")
