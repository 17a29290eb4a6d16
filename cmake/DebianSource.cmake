# etude_debian_source(<package> <version> <dsc-sha256> <out-var>)
#
# Fetches a Debian source package at configure time with `apt-get source --download-only`
# (needs a deb-src entry; scripts/setup.sh adds one), checks the .dsc against the pinned SHA-256
# (dpkg-source then checks every tarball against the .dsc), and unpacks it once into the build
# tree. Nothing third-party is ever committed.
function(etude_debian_source package version dsc_sha256 out_var)
  set(deps_dir "${CMAKE_BINARY_DIR}/_deps")
  string(REGEX REPLACE "^[0-9]+:" "" file_version "${version}")
  string(REGEX REPLACE "-[^-]+$" "" upstream_version "${file_version}")
  set(src_dir "${deps_dir}/${package}-${upstream_version}")
  set(dsc "${deps_dir}/dl/${package}_${file_version}.dsc")
  if(NOT EXISTS "${src_dir}/.etude-unpacked")
    file(MAKE_DIRECTORY "${deps_dir}/dl")
    if(NOT EXISTS "${dsc}")
      message(STATUS "Fetching Debian source ${package}=${version}")
      execute_process(COMMAND apt-get source --download-only "${package}=${version}"
        WORKING_DIRECTORY "${deps_dir}/dl" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "apt-get source ${package}=${version} failed (is there a deb-src entry? run scripts/setup.sh):\n${err}")
      endif()
    endif()
    file(SHA256 "${dsc}" actual)
    if(NOT actual STREQUAL dsc_sha256)
      message(FATAL_ERROR "${dsc}: SHA-256 ${actual} does not match the pinned ${dsc_sha256}")
    endif()
    file(REMOVE_RECURSE "${src_dir}")
    execute_process(COMMAND dpkg-source --no-copy -x "${dsc}" "${src_dir}"
      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "dpkg-source -x ${dsc} failed:\n${err}")
    endif()
    file(TOUCH "${src_dir}/.etude-unpacked")
  endif()
  set(${out_var} "${src_dir}" PARENT_SCOPE)
endfunction()
