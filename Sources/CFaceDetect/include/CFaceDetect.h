// A C interface to dlib's frontal face detector, so Swift can call it without C++ interop.
//
// dlib is C++ only; this target wraps the one call soraimg needs behind extern "C". Without
// dlib (the Faces trait off, or the headers missing) it still builds and reports -1.
#ifndef CFACEDETECT_H
#define CFACEDETECT_H

#ifdef __cplusplus
extern "C" {
#endif

// One face, in the pixel coordinates of the image passed in. `score` is dlib's detection
// confidence (higher is surer; 0 is the detector's own threshold).
typedef struct CFaceBox {
    int left;
    int top;
    int width;
    int height;
    double score;
} CFaceBox;

// Which code finds the faces. The tests compare the three.
typedef enum CFaceDetectCode {
    // soraimg's scan, the AVX2 copy where the CPU has AVX2 and FMA: what prep uses.
    CFACEDETECT_FASTEST = 0,
    // soraimg's scan, the copy compiled for any CPU.
    CFACEDETECT_PORTABLE = 1,
    // dlib's own detector call (the copy compiled for any CPU): the reference.
    CFACEDETECT_DLIB = 2,
} CFaceDetectCode;

// Finds frontal faces in an 8-bit grey image of `width` x `height` pixels whose rows start
// `stride` bytes apart. Writes up to `capacity` boxes, best first, and returns how many faces
// were found (which may exceed `capacity`), or -1 when this build has no face detector.
// `adjustment` is added to the detector's threshold: 0 finds faces; a negative one also reports
// weaker candidates (scores below 0), which lets the tests compare the codes on many boxes.
int cfacedetect_find(const unsigned char *grey, int width, int height, int stride,
                     CFaceBox *boxes, int capacity, CFaceDetectCode code, double adjustment);

// 1 when cfacedetect_find uses the AVX2 copy on this CPU.
int cfacedetect_has_vector_copy(void);

// 1 when this build has a face detector, 0 otherwise.
int cfacedetect_available(void);

#ifdef __cplusplus
}
#endif

#endif
