# `cpack -G DEB` (or `cmake --build build --target package`): a .deb that puts tlsauth.so into
# the system plugin folder of the Wireshark this build was configured against
# (Wireshark_PLUGIN_INSTALL_DIR/epan, e.g. /usr/lib/x86_64-linux-gnu/wireshark/plugins/4.0/epan)
# and depends on the matching libwireshark package of that series.
#
# `cmake --install build` is not changed by this file: it still installs the default component
# into the user's folder (TLSAUTH_PLUGIN_DIR). The package installs only the component
# "system_plugin" below, which is EXCLUDE_FROM_ALL so that a plain `cmake --install` skips it.
# `cmake --install build --component system_plugin` (as root) installs into the system folder
# without a package.

if(NOT Wireshark_PLUGIN_INSTALL_DIR)
  # Wireshark built without plugin support: nothing to package.
  message(STATUS "tlsauth: Wireshark_PLUGIN_INSTALL_DIR not set; no package target")
  return()
endif()

set(TLSAUTH_SYSTEM_PLUGIN_DIR "${Wireshark_PLUGIN_INSTALL_DIR}/epan")
install(TARGETS tlsauth
  LIBRARY DESTINATION "${TLSAUTH_SYSTEM_PLUGIN_DIR}"
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
  COMPONENT system_plugin EXCLUDE_FROM_ALL)

# The Debian package that ships the libwireshark this build links against (libwireshark16 for
# 4.0, libwireshark18 for 4.4...), and the version range of its series.
set(tlsauth_ws_depends "")
get_target_property(tlsauth_epan_location epan LOCATION)
find_program(TLSAUTH_DPKG_QUERY dpkg-query)
if(TLSAUTH_DPKG_QUERY AND tlsauth_epan_location)
  get_filename_component(tlsauth_epan_real "${tlsauth_epan_location}" REALPATH)
  execute_process(COMMAND dpkg-query -S "${tlsauth_epan_real}"
                  OUTPUT_VARIABLE tlsauth_epan_owner ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT tlsauth_epan_owner)
    # /lib -> /usr/lib merged systems: dpkg may know the other spelling.
    execute_process(COMMAND dpkg-query -S "${tlsauth_epan_location}"
                    OUTPUT_VARIABLE tlsauth_epan_owner ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  endif()
  string(REGEX MATCH "^[^:,]+" tlsauth_ws_package "${tlsauth_epan_owner}")
  if(tlsauth_ws_package)
    math(EXPR tlsauth_ws_next_minor "${Wireshark_MINOR_VERSION} + 1")
    set(tlsauth_ws_depends
        "${tlsauth_ws_package} (>= ${TLSAUTH_WS_SERIES}), ${tlsauth_ws_package} (<< ${Wireshark_MAJOR_VERSION}.${tlsauth_ws_next_minor}~)")
  endif()
endif()
if(NOT tlsauth_ws_depends)
  message(STATUS "tlsauth: the libwireshark package is unknown (no dpkg-query?): the .deb does not depend on it")
endif()

set(CPACK_PACKAGE_NAME "tlsauth")
set(CPACK_PACKAGE_VENDOR "tlsauth")
# The Wireshark series is part of the version: a plugin only loads into the major.minor it was
# built for, and 0.1.0+ws4.0 < 0.1.0+ws4.4 upgrades along with Debian.
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}+ws${TLSAUTH_WS_SERIES}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TLS authentication analysis for Wireshark and tshark")
set(CPACK_PACKAGE_DESCRIPTION "A Wireshark post-dissector plugin (tlsauth.so) that tells one-way from mutual TLS, validates the certificate chains against a CA store and explains who dropped a handshake and why. Built for Wireshark ${TLSAUTH_WS_SERIES}.")
set(CPACK_PACKAGE_CONTACT "tlsauth maintainers <tlsauth@localhost>")
# Only the system-folder component; one package, not one per component.
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};tlsauth;system_plugin;/")
# The destination is absolute (the system folder); DESTDIR staging keeps it inside the package.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX "/")
set(CPACK_INSTALL_PREFIX "/") # else an empty ./usr/local/ is packaged
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT") # tlsauth_0.1.0+ws4.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# libc6, libglib2.0-0, libgnutls30... by SONAME, when dpkg-shlibdeps and file (which CPack needs
# for it) are there.
find_program(TLSAUTH_DPKG_SHLIBDEPS dpkg-shlibdeps)
find_program(TLSAUTH_FILE file)
if(TLSAUTH_DPKG_SHLIBDEPS AND TLSAUTH_FILE)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  message(STATUS "tlsauth: no dpkg-shlibdeps or file: the .deb only depends on ${tlsauth_ws_depends}")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${tlsauth_ws_depends}")
set(CPACK_DEBIAN_PACKAGE_ENHANCES "tshark, wireshark")
include(CPack)
