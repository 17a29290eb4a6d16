# Assembles the static site in ${CMAKE_BINARY_DIR}/site: everything a static host serves.
#   index.html, *.js, style.css      from web/
#   etude.js, etude.wasm             the app
#   dsp.wasm                         the AudioWorklet's DSP module
#   worklet/, ml/                    from web/
#   vendor/ort/                      onnxruntime-web (npm, pinned in package-lock.json), served from our origin
#   models/                          the .onnx models, labels and golden pairs
set(ETUDE_SITE_DIR ${CMAKE_BINARY_DIR}/site)
set(ORT_DIST ${CMAKE_SOURCE_DIR}/node_modules/onnxruntime-web/dist)
if(NOT EXISTS ${ORT_DIST}/ort.wasm.min.mjs)
  message(FATAL_ERROR "onnxruntime-web is missing from node_modules: run scripts/setup.sh (npm ci)")
endif()

file(GLOB_RECURSE ETUDE_WEB_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/web/*)
file(GLOB ETUDE_MODEL_FILES CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/models/*.onnx ${CMAKE_SOURCE_DIR}/models/*.labels.json ${CMAKE_SOURCE_DIR}/models/*.golden.json)
set(ORT_FILES ${ORT_DIST}/ort.wasm.min.mjs ${ORT_DIST}/ort-wasm-simd-threaded.mjs ${ORT_DIST}/ort-wasm-simd-threaded.wasm)

set(copy_models)
if(ETUDE_MODEL_FILES)
  set(copy_models COMMAND ${CMAKE_COMMAND} -E copy ${ETUDE_MODEL_FILES} ${ETUDE_SITE_DIR}/models/)
endif()

add_custom_command(OUTPUT ${ETUDE_SITE_DIR}/.stamp
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${ETUDE_SITE_DIR}
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${CMAKE_SOURCE_DIR}/web ${ETUDE_SITE_DIR}
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:etude_app> $<TARGET_FILE_DIR:etude_app>/etude.wasm ${ETUDE_SITE_DIR}/
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:etude_dsp_wasm> ${ETUDE_SITE_DIR}/dsp.wasm
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ETUDE_SITE_DIR}/vendor/ort ${ETUDE_SITE_DIR}/models
  COMMAND ${CMAKE_COMMAND} -E copy ${ORT_FILES} ${ETUDE_SITE_DIR}/vendor/ort/
  ${copy_models}
  COMMAND ${CMAKE_COMMAND} -E touch ${ETUDE_SITE_DIR}/.stamp
  DEPENDS etude_app etude_dsp_wasm ${ETUDE_WEB_FILES} ${ETUDE_MODEL_FILES} ${ORT_FILES}
  COMMENT "Assembling the static site in ${ETUDE_SITE_DIR}")
add_custom_target(site ALL DEPENDS ${ETUDE_SITE_DIR}/.stamp)
