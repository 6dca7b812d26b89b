# Run after libcase_debug_file.so is linked (tests/cases/CMakeLists.txt): splits its debug
# information into a separate file as Debian's -dbgsym packaging does - objcopy --only-keep-debug,
# strip --strip-all, objcopy --add-gnu-debuglink - and places that file where debug_files.hpp looks
# for it: as BUILD_ID_DIR/.build-id/xx/yyyy.debug (the library's build ID) and as
# LINK_DIR/<the library's directory>/<its debuglink name>. Nothing is left next to the library,
# so only debug_file_directory (test_debug_files) leads to it.
#   cmake -DLIB=... -DOBJCOPY=... -DSTRIP=... -DREADELF=... -DBUILD_ID_DIR=... -DLINK_DIR=... -P split_debug_file.cmake
foreach(var IN ITEMS LIB OBJCOPY STRIP READELF BUILD_ID_DIR LINK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "split_debug_file.cmake: ${var} is not set")
  endif()
endforeach()
get_filename_component(_name "${LIB}" NAME)
get_filename_component(_dir "${LIB}" DIRECTORY)
set(_debug "${LIB}.debug")

function(_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _result OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _result EQUAL 0)
    message(FATAL_ERROR "split_debug_file.cmake: ${ARGN} failed: ${_err}")
  endif()
  set(_run_output "${_out}" PARENT_SCOPE)
endfunction()

_run("${OBJCOPY}" --only-keep-debug "${LIB}" "${_debug}")
_run("${STRIP}" --strip-all "${LIB}")
_run("${OBJCOPY}" "--add-gnu-debuglink=${_debug}" "${LIB}")
_run("${READELF}" -n "${LIB}")
if(NOT _run_output MATCHES "Build ID: ([0-9a-f][0-9a-f])([0-9a-f]+)")
  message(FATAL_ERROR "split_debug_file.cmake: ${LIB} has no build ID (link it with -Wl,--build-id)")
endif()
file(REMOVE_RECURSE "${BUILD_ID_DIR}" "${LINK_DIR}")
file(MAKE_DIRECTORY "${BUILD_ID_DIR}/.build-id/${CMAKE_MATCH_1}" "${LINK_DIR}${_dir}")
file(COPY_FILE "${_debug}" "${BUILD_ID_DIR}/.build-id/${CMAKE_MATCH_1}/${CMAKE_MATCH_2}.debug")
file(RENAME "${_debug}" "${LINK_DIR}${_dir}/${_name}.debug")
