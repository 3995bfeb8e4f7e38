// The vector width shared by fhog_features.h and filter_scan.h: a register's worth of floats,
// eight in the AVX2 copy of the detector, four (SSE, NEON) in the portable one. The compiler maps
// these types to one register each. Included by them, in detector_body.h's namespace.
#ifndef CFACEDETECT_VECTOR_LANES_H
#define CFACEDETECT_VECTOR_LANES_H

#include <cstring>

namespace FACE_DETECT_NAMESPACE {

#ifdef __AVX__
constexpr int lanes = 8;
#else
constexpr int lanes = 4;
#endif
typedef float Floats __attribute__((vector_size(lanes * sizeof(float)), aligned(4)));

inline Floats load(const float *p) {
    Floats v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store(float *p, Floats v) { std::memcpy(p, &v, sizeof v); }

}  // namespace FACE_DETECT_NAMESPACE

#endif
