# Third-party code for the web build, from Debian source packages pinned by version and checksum:
#   SDL2 2.26.5 (bookworm) built with Emscripten into the build tree once, then found by find_package;
#   Dear ImGui 1.90.1 (trixie) compiled as a static library with the SDL2 + OpenGL3 (WebGL2) backends.
include(DebianSource)

set(ETUDE_SDL2_VERSION "2.26.5+dfsg-1")
set(ETUDE_SDL2_DSC_SHA256 "95b9a18130d98164e7856eca8ac1a2eb65d822ac4872ef8862ceed2cb1662136")
set(ETUDE_IMGUI_VERSION "1.90.1+ds-1")
set(ETUDE_IMGUI_DSC_SHA256 "c4a51732584a10d46461c683ea82bc6f0f6a29954600d656725168e95b4826d8")

etude_debian_source(libsdl2 "${ETUDE_SDL2_VERSION}" "${ETUDE_SDL2_DSC_SHA256}" SDL2_SOURCE_DIR)
etude_debian_source(imgui "${ETUDE_IMGUI_VERSION}" "${ETUDE_IMGUI_DSC_SHA256}" IMGUI_SOURCE_DIR)

set(SDL2_PREFIX "${CMAKE_BINARY_DIR}/_deps/sdl2-install")
if(NOT EXISTS "${SDL2_PREFIX}/.etude-built")
  message(STATUS "Building SDL2 ${ETUDE_SDL2_VERSION} with Emscripten (once per build tree, about 2 minutes)")
  set(sdl_build "${CMAKE_BINARY_DIR}/_deps/sdl2-build")
  execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SDL2_SOURCE_DIR}" -B "${sdl_build}" -G Ninja
      "-DCMAKE_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE}" -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_INSTALL_PREFIX=${SDL2_PREFIX}"
      -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL_THREADS=OFF
      -DSDL_AUDIO=OFF -DSDL_JOYSTICK=OFF -DSDL_HAPTIC=OFF -DSDL_SENSOR=OFF -DSDL_POWER=OFF
      -DSDL_HIDAPI=OFF -DSDL_RENDER=OFF -DSDL_LOCALE=OFF -DSDL_MISC=OFF -DSDL_FILESYSTEM=OFF
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(rc EQUAL 0)
    execute_process(COMMAND "${CMAKE_COMMAND}" --build "${sdl_build}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  endif()
  if(rc EQUAL 0)
    execute_process(COMMAND "${CMAKE_COMMAND}" --install "${sdl_build}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "Building SDL2 failed:\n${err}")
  endif()
  file(TOUCH "${SDL2_PREFIX}/.etude-built")
endif()
list(APPEND CMAKE_FIND_ROOT_PATH "${SDL2_PREFIX}")
find_package(SDL2 CONFIG REQUIRED PATHS "${SDL2_PREFIX}" NO_DEFAULT_PATH)

add_library(imgui STATIC
  ${IMGUI_SOURCE_DIR}/imgui.cpp ${IMGUI_SOURCE_DIR}/imgui_draw.cpp
  ${IMGUI_SOURCE_DIR}/imgui_tables.cpp ${IMGUI_SOURCE_DIR}/imgui_widgets.cpp
  ${IMGUI_SOURCE_DIR}/backends/imgui_impl_sdl2.cpp ${IMGUI_SOURCE_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_SOURCE_DIR} ${IMGUI_SOURCE_DIR}/backends)
target_compile_definitions(imgui PUBLIC IMGUI_IMPL_OPENGL_ES3 IMGUI_DISABLE_OBSOLETE_FUNCTIONS
  IMGUI_DISABLE_DEFAULT_FONT IMGUI_DISABLE_DEMO_WINDOWS IMGUI_DISABLE_DEBUG_TOOLS)
target_link_libraries(imgui PUBLIC SDL2::SDL2-static)
target_compile_options(imgui PRIVATE ${ETUDE_WEB_APP_OPT})
