// The inner loops of soraimg's Lanczos3 reduction: precomputed filter weights applied to 8-bit
// interleaved pixels (1, 3 or 4 bands), vertically then horizontally, one output row at a time.
//
// This is the one compute kernel written in C, because it needs what Swift cannot express:
// AVX2 code chosen at run time (`__attribute__((target))` with a CPU check) in a binary that
// still runs on any x86-64 or ARM machine. Everything else, which pixels to read and with what
// weights, is decided in Swift (`Sources/SoraImg/Image/Reduction.swift`).
#ifndef CRESAMPLE_H
#define CRESAMPLE_H

#include <stddef.h>
#include <stdint.h>

// How one axis is reduced: output pixel i is the weighted sum of source pixels
// starts[i] ..< starts[i] + taps, with weights[i * taps ..< (i + 1) * taps].
typedef struct {
    int outputs;            // output pixels along the axis
    int taps;               // weights per output pixel; even
    const int32_t *starts;  // first source pixel of each output pixel, ascending
    const int16_t *weights; // fixed point: 1 << CRESAMPLE_WEIGHT_BITS is 1.0; each row sums to it
} CResampleAxis;

#define CRESAMPLE_WEIGHT_BITS 14

// Reduces `source` (8-bit, `bands` interleaved samples per pixel, rows `source_stride` bytes
// apart, at least max(starts) + taps pixels each way) into `destination` (x.outputs by
// y.outputs pixels, rows `destination_stride` bytes apart). Each pass rounds to nearest and
// clamps to 0...255. `portable` 1 forces the plain C loops, which give the same bytes as the
// vector ones (the tests compare them). Returns 0, or -1 when its row buffer cannot be allocated.
int cresample_reduce_u8(const uint8_t *source, size_t source_stride, int bands,
                        const CResampleAxis *x, const CResampleAxis *y,
                        uint8_t *destination, size_t destination_stride, int portable);

// 1 when this CPU runs the AVX2 loops.
int cresample_has_vector_loops(void);

#endif
