// The face detector compiled with AVX2 and FMA (see CFaceDetectAVX2.h).
#include "CFaceDetectAVX2.h"

#if __has_include(<dlib/image_processing/frontal_face_detector.h>) && defined(SORAIMG_FACES) && defined(__AVX2__)

// dlib is header templates: its functions instantiated here and in face_detect.cpp would have the
// same names, and the linker keeps one of each, which could put AVX2 code on the portable path.
// Renaming dlib's namespace for this file gives every one of them a name of its own (the detector
// needs nothing compiled into libdlib itself). What stays shared is the standard library's
// string concatenation for dlib's error messages, which holds no vector instructions either way
// (checked with objdump).
#define dlib soraimg_dlib_avx2
#define FACE_DETECT_NAMESPACE cfacedetect_avx2
#include "../CFaceDetect/detector_body.h"

extern "C" int cfacedetectavx2_compiled(void) { return 1; }

extern "C" int cfacedetectavx2_find(const unsigned char *model, size_t model_size, const unsigned char *grey,
                                    int width, int height, int stride, struct CFaceBox *boxes, int capacity,
                                    double adjustment) {
    return cfacedetect_avx2::find(model, model_size, grey, width, height, stride, boxes, capacity, false, adjustment);
}

#else

extern "C" int cfacedetectavx2_compiled(void) { return 0; }

extern "C" int cfacedetectavx2_find(const unsigned char *, size_t, const unsigned char *, int, int, int,
                                    struct CFaceBox *, int, double) {
    return -1;
}

#endif
