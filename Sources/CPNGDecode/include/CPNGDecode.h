// Decodes the commonest PNGs (8-bit grey, grey and alpha, RGB or RGBA, not interlaced, no
// transparency chunk) with libdeflate, which inflates about 2.5 times as fast as zlib, the
// inflater libvips' PNG loader uses. Anything else, and anything damaged, is left to libvips.
#ifndef CPNGDECODE_H
#define CPNGDECODE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// What cpngdecode_decode did.
typedef enum CPNGDecodeResult {
    // The pixels are packed at the start of `buffer`.
    CPNGDECODE_DONE = 0,
    // Not a PNG this decoder takes (another depth, colour type, interlacing, a tRNS chunk, an
    // unknown critical chunk, a size other than the one given): decode it another way.
    CPNGDECODE_NOT_SIMPLE = 1,
    // Damaged (a checksum, the compressed data, a filter type, missing data): decode it another
    // way, whose error says what is wrong. `buffer` may be partly written.
    CPNGDECODE_DAMAGED = 2,
    // No memory for the compressed data or the inflated rows.
    CPNGDECODE_NO_MEMORY = 3,
} CPNGDecodeResult;

// 1 when the PNG's header (its first chunk) is of the kind cpngdecode_decode takes, for these
// dimensions: checked before its buffer is allocated. The rest is checked while decoding.
int cpngdecode_takes(const uint8_t *png, size_t size, int width, int height, int bands);

// The bytes `buffer` must have for cpngdecode_decode: the inflated image data (a filter-type byte
// before each row), which the decoder turns into pixels where it lies.
size_t cpngdecode_buffer_size(int width, int height, int bands);

// Decodes the PNG file `png` (`size` bytes) of `width` x `height` pixels with `bands` 8-bit
// samples each (1 grey, 2 grey and alpha, 3 RGB, 4 RGBA) into `buffer`
// (cpngdecode_buffer_size bytes): the pixels end up packed at its start, row after row. Checks
// every chunk's CRC and the zlib stream's Adler-32, as libpng does.
CPNGDecodeResult cpngdecode_decode(const uint8_t *png, size_t size, int width, int height, int bands, uint8_t *buffer);

#ifdef __cplusplus
}
#endif

#endif
