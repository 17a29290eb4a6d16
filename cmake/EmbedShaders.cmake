# cmake -DOUT=header.h -DVERT=a.vert -DFRAG=a.frag -DNAME=Spectrogram -P EmbedShaders.cmake
# Writes the GLSL sources as C++ raw string literals (k<NAME>Vert, k<NAME>Frag).
file(READ "${VERT}" vert)
file(READ "${FRAG}" frag)
file(WRITE "${OUT}" "// Generated from ${VERT} and ${FRAG} by cmake/EmbedShaders.cmake; do not edit.\n#pragma once\n"
  "inline constexpr char k${NAME}Vert[] = R\"glsl(${vert})glsl\";\n"
  "inline constexpr char k${NAME}Frag[] = R\"glsl(${frag})glsl\";\n")
