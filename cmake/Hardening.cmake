# Hardening build options (sanitizers, fuzzers): see tests/fuzz/ and README "Security and robustness".
#
#   -DTLSAUTH_SANITIZE=ON  the core, the plugin, the unit tests and the fuzz replay drivers are built
#                          with AddressSanitizer and UndefinedBehaviorSanitizer (gcc or clang); any
#                          report stops the process. tshark itself is not instrumented: the sanitizer
#                          runtime must be preloaded into it (scripts/sanitize.sh does it, with the
#                          library list this file writes to <build>/sanitizer-preload).
#   -DTLSAUTH_FUZZ=ON      the libFuzzer harnesses of tests/fuzz/ (clang only), as ctest tests
#                          fuzz.<harness>, each run for TLSAUTH_FUZZ_SECONDS.
include_guard(GLOBAL)

option(TLSAUTH_SANITIZE "Build the core, the plugin and the tests with ASan and UBSan" OFF)
option(TLSAUTH_FUZZ "Build the libFuzzer harnesses of tests/fuzz (requires clang)" OFF)
set(TLSAUTH_FUZZ_SECONDS 20 CACHE STRING "How long each fuzz.<harness> ctest test fuzzes, in seconds")

set(TLSAUTH_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
set(TLSAUTH_SANITIZER_PRELOAD "") # the sanitizer runtime to LD_PRELOAD into an uninstrumented tshark

if(TLSAUTH_SANITIZE)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "^(GNU|Clang)$")
    message(FATAL_ERROR "TLSAUTH_SANITIZE needs gcc or clang, not ${CMAKE_C_COMPILER_ID}")
  endif()
  # Every target defined after this point (core, plugin, unit tests, fuzz replay drivers).
  add_compile_options(${TLSAUTH_SANITIZER_FLAGS})
  add_link_options(${TLSAUTH_SANITIZER_FLAGS})

  # The plugin is a shared object loaded by an uninstrumented tshark: the sanitizer runtime must
  # come first in the process, so it is preloaded. gcc links libasan/libubsan dynamically; clang's
  # shared ASan runtime also carries UBSan.
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    set(runtime_names libasan.so libubsan.so)
  else()
    set(runtime_names "libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so")
  endif()
  set(preload "")
  foreach(name IN LISTS runtime_names)
    execute_process(COMMAND "${CMAKE_C_COMPILER}" "-print-file-name=${name}"
                    OUTPUT_VARIABLE path OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0 OR NOT IS_ABSOLUTE "${path}" OR NOT EXISTS "${path}")
      message(FATAL_ERROR "TLSAUTH_SANITIZE: ${CMAKE_C_COMPILER} does not know where ${name} is "
                          "(install its sanitizer runtime: libasan/libubsan for gcc, libclang-rt-dev for clang)")
    endif()
    get_filename_component(path "${path}" REALPATH)
    list(APPEND preload "${path}")
  endforeach()
  string(REPLACE ";" ":" preload "${preload}")
  set(TLSAUTH_SANITIZER_PRELOAD "${preload}")
  file(WRITE "${CMAKE_BINARY_DIR}/sanitizer-preload" "${preload}\n")
  message(STATUS "tlsauth: ASan+UBSan build; tshark needs LD_PRELOAD=${preload} (scripts/sanitize.sh)")
else()
  file(REMOVE "${CMAKE_BINARY_DIR}/sanitizer-preload")
endif()

if(TLSAUTH_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TLSAUTH_FUZZ needs clang (libFuzzer): configure with -DCMAKE_C_COMPILER=clang "
                        "(Debian: apt-get install clang libclang-rt-14-dev)")
  endif()
  # The harnesses and an instrumented copy of the core are defined in tests/fuzz/CMakeLists.txt.
  set(TLSAUTH_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
      -fno-sanitize-recover=all)
  set(TLSAUTH_FUZZ_LINK_FLAGS -fsanitize=fuzzer,address,undefined)
endif()
