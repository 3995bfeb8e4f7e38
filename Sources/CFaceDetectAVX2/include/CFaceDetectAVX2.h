// The face detector built for CPUs with AVX2 and FMA, for CFaceDetect to call when the CPU has
// them. Its own target because SwiftPM sets compiler flags per target, and only this copy may be
// compiled for AVX2: the binary must still run on any x86-64 CPU.
#ifndef CFACEDETECTAVX2_H
#define CFACEDETECTAVX2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct CFaceBox;

// 1 when this target was compiled with the detector (x86-64 with the Faces trait), 0 otherwise.
int cfacedetectavx2_compiled(void);

// cfacedetect_find's work, given the model in dlib's serialised form. Only call it when
// cfacedetectavx2_compiled() is 1 and the CPU has AVX2 and FMA.
int cfacedetectavx2_find(const unsigned char *model, size_t model_size, const unsigned char *grey, int width,
                         int height, int stride, struct CFaceBox *boxes, int capacity, double adjustment);

#ifdef __cplusplus
}
#endif

#endif
