// dlib's HOG frontal face detector behind a C interface (see CFaceDetect.h).
#include "CFaceDetect.h"

#if __has_include(<dlib/image_processing/frontal_face_detector.h>) && defined(SORAIMG_FACES)

#define FACE_DETECT_NAMESPACE cfacedetect_portable
#include "detector_body.h"

#include "CFaceDetectAVX2.h"

namespace {

// dlib compiles its model in compressed with its own entropy coder, and
// get_frontal_face_detector() decodes it on every call: about half a second of CPU, more than a
// whole photo's prep. scripts/make-face-model writes the decoded bytes (dlib's own serialised
// form, reproduced byte for byte from the installed dlib); embedded here, they deserialise in a
// few milliseconds. A compiler without #embed falls back to dlib's own decode, once.
#if defined(__has_embed)
#if __has_embed("model/frontal_face_detector.dat")
#define CFACEDETECT_EMBEDDED_MODEL 1
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc23-extensions"
const unsigned char embeddedModel[] = {
#embed "model/frontal_face_detector.dat"
};
#pragma clang diagnostic pop
#endif
#endif

struct ModelBytes {
    const unsigned char *bytes;
    std::size_t size;
};

ModelBytes modelBytes() {
#ifdef CFACEDETECT_EMBEDDED_MODEL
    return {embeddedModel, sizeof embeddedModel};
#else
    static const std::string decoded = dlib::get_serialized_frontal_faces();
    return {reinterpret_cast<const unsigned char *>(decoded.data()), decoded.size()};
#endif
}

// The AVX2 copy of the detector runs where the CPU has AVX2 and FMA (checked once).
bool useVectorCopy() {
    static const bool supported = cfacedetectavx2_compiled() == 1 && __builtin_cpu_supports("avx2") &&
                                  __builtin_cpu_supports("fma");
    return supported;
}

}  // namespace

extern "C" int cfacedetect_available(void) { return 1; }

extern "C" int cfacedetect_find(const unsigned char *grey, int width, int height, int stride,
                                CFaceBox *boxes, int capacity, CFaceDetectCode code, double adjustment) {
    if (grey == nullptr || width <= 0 || height <= 0 || stride < width) return 0;
    ModelBytes model;
    try {
        model = modelBytes();
    } catch (const std::exception &) {
        return -1;
    }
    if (code == CFACEDETECT_FASTEST && useVectorCopy()) {
        return cfacedetectavx2_find(model.bytes, model.size, grey, width, height, stride, boxes, capacity, adjustment);
    }
    return cfacedetect_portable::find(model.bytes, model.size, grey, width, height, stride, boxes, capacity,
                                      code == CFACEDETECT_DLIB, adjustment);
}

extern "C" int cfacedetect_has_vector_copy(void) { return useVectorCopy() ? 1 : 0; }

#else

extern "C" int cfacedetect_available(void) { return 0; }

extern "C" int cfacedetect_find(const unsigned char *, int, int, int, CFaceBox *, int, CFaceDetectCode, double) {
    return -1;
}

extern "C" int cfacedetect_has_vector_copy(void) { return 0; }

#endif
