// See CPNGDecode.h. The PNG format: https://www.w3.org/TR/png/ (chunks, filters, zlib stream).
#include "CPNGDecode.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

static uint32_t big_endian(const uint8_t *p) {
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | (uint32_t) p[3];
}

static int is_type(const uint8_t *chunk, const char *type) { return memcmp(chunk + 4, type, 4) == 0; }

// Samples per pixel of an 8-bit PNG colour type this decoder takes; 0 for the others (palette).
static int bands_of(int colour_type) {
    switch (colour_type) {
    case 0: return 1;
    case 4: return 2;
    case 2: return 3;
    case 6: return 4;
    default: return 0;
    }
}

// The Paeth predictor: whichever of left, above and upper left is nearest to left + above -
// upper left, ties going in that order.
static inline uint8_t paeth(int left, int above, int upper_left) {
    const int towards_left = abs(above - upper_left);
    const int towards_above = abs(left - upper_left);
    const int towards_corner = abs(above + left - 2 * upper_left);
    if (towards_left <= towards_above && towards_left <= towards_corner) return (uint8_t) left;
    return (uint8_t) (towards_above <= towards_corner ? above : upper_left);
}

// Undoes one row's filter: `row` (filtered, `length` bytes) into `out`, given the row above,
// already unfiltered (zeros for the first). `bpp` bytes per pixel, a constant in each copy the
// compiler makes, so the loops carry left-hand pixels in registers. `out` may lie before `row`
// in the same buffer: each byte of `row` is read before the byte of `out` that may cover it is
// written, since `out` is behind by at least one byte.
static inline int unfilter_row(int filter, const uint8_t *row, const uint8_t *above, uint8_t *out, size_t length,
                               const size_t bpp) {
    size_t i;
    switch (filter) {
    case 0:
        memmove(out, row, length);
        return 1;
    case 1:
        for (i = 0; i < bpp && i < length; i++) out[i] = row[i];
        for (; i < length; i++) out[i] = (uint8_t) (row[i] + out[i - bpp]);
        return 1;
    case 2:
        for (i = 0; i < length; i++) out[i] = (uint8_t) (row[i] + above[i]);
        return 1;
    case 3:
        for (i = 0; i < bpp && i < length; i++) out[i] = (uint8_t) (row[i] + (above[i] >> 1));
        for (; i < length; i++) out[i] = (uint8_t) (row[i] + ((out[i - bpp] + above[i]) >> 1));
        return 1;
    case 4:
        for (i = 0; i < bpp && i < length; i++) out[i] = (uint8_t) (row[i] + above[i]);
        for (; i < length; i++) out[i] = (uint8_t) (row[i] + paeth(out[i - bpp], above[i], above[i - bpp]));
        return 1;
    default:
        return 0;
    }
}

// Turns the inflated rows (each a filter-type byte and `row_bytes` filtered bytes) into packed
// pixels at the start of the same buffer, top to bottom: row y moves back by y + 1 bytes, over
// bytes already read.
static int unfilter(uint8_t *buffer, int height, size_t row_bytes, int bands, const uint8_t *zeros) {
    for (int y = 0; y < height; y++) {
        const uint8_t *filtered = buffer + (size_t) y * (row_bytes + 1);
        const uint8_t *above = y == 0 ? zeros : buffer + (size_t) (y - 1) * row_bytes;
        uint8_t *row = buffer + (size_t) y * row_bytes;
        int ok;
        switch (bands) {
        case 1: ok = unfilter_row(filtered[0], filtered + 1, above, row, row_bytes, 1); break;
        case 2: ok = unfilter_row(filtered[0], filtered + 1, above, row, row_bytes, 2); break;
        case 3: ok = unfilter_row(filtered[0], filtered + 1, above, row, row_bytes, 3); break;
        default: ok = unfilter_row(filtered[0], filtered + 1, above, row, row_bytes, 4); break;
        }
        if (!ok) return 0;
    }
    return 1;
}

// Where the chunk after IHDR starts: the 8-byte signature, then IHDR's length, type, 13 bytes of
// data and CRC.
enum { after_header = 8 + 4 + 4 + 13 + 4 };

// The signature, then an IHDR chunk (its CRC right) for an 8-bit, not interlaced image of these
// dimensions and bands.
static int header_is_simple(const uint8_t *png, size_t size, int width, int height, int bands) {
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (png == NULL || size < after_header || memcmp(png, signature, 8) != 0) return 0;
    if (width <= 0 || height <= 0 || bands < 1 || bands > 4) return 0;
    const uint8_t *chunk = png + 8, *h = chunk + 8;
    if (big_endian(chunk) != 13 || !is_type(chunk, "IHDR")) return 0;
    if (libdeflate_crc32(0, chunk + 4, 17) != big_endian(chunk + 21)) return 0;
    return big_endian(h) == (uint32_t) width && big_endian(h + 4) == (uint32_t) height && h[8] == 8 &&
           bands_of(h[9]) == bands && h[10] == 0 && h[11] == 0 && h[12] == 0;
}

int cpngdecode_takes(const uint8_t *png, size_t size, int width, int height, int bands) {
    return header_is_simple(png, size, width, height, bands);
}

size_t cpngdecode_buffer_size(int width, int height, int bands) {
    if (width <= 0 || height <= 0 || bands < 1 || bands > 4) return 0;
    return (size_t) height * ((size_t) width * (size_t) bands + 1);
}

CPNGDecodeResult cpngdecode_decode(const uint8_t *png, size_t size, int width, int height, int bands, uint8_t *buffer) {
    if (!header_is_simple(png, size, width, height, bands)) return CPNGDECODE_NOT_SIMPLE;
    const size_t row_bytes = (size_t) width * (size_t) bands;

    // Walk the chunks after IHDR (header_is_simple checked it): the IDATs found (they must
    // follow one another), every CRC right, IEND reached.
    size_t offset = after_header, first_data = 0, data_bytes = 0, data_chunks = 0;
    int saw_end = 0, data_ended = 0;
    while (!saw_end) {
        if (size - offset < 12) return CPNGDECODE_DAMAGED;
        const uint8_t *chunk = png + offset;
        const uint32_t length = big_endian(chunk);
        if (length > 0x7fffffffu || size - offset - 12 < length) return CPNGDECODE_DAMAGED;
        if (libdeflate_crc32(0, chunk + 4, (size_t) length + 4) != big_endian(chunk + 8 + length)) return CPNGDECODE_DAMAGED;
        if (is_type(chunk, "IDAT")) {
            if (data_ended) return CPNGDECODE_NOT_SIMPLE;
            if (data_chunks == 0) first_data = offset;
            data_chunks++;
            data_bytes += length;
        } else {
            if (data_chunks > 0) data_ended = 1;
            if (is_type(chunk, "IEND")) saw_end = 1;
            // A colour key for transparency, or a critical chunk not known here.
            else if (is_type(chunk, "tRNS") || ((chunk[4] & 0x20) == 0 && !is_type(chunk, "PLTE"))) return CPNGDECODE_NOT_SIMPLE;
        }
        offset += 12 + (size_t) length;
    }
    if (data_chunks == 0) return CPNGDECODE_DAMAGED;

    // The zlib stream: in place when it is one chunk, else the chunks' data joined.
    uint8_t *joined = NULL;
    const uint8_t *stream = png + first_data + 8;
    if (data_chunks > 1) {
        joined = malloc(data_bytes);
        if (joined == NULL) return CPNGDECODE_NO_MEMORY;
        size_t at = 0;
        for (size_t chunk = first_data; at < data_bytes;) {
            const uint32_t length = big_endian(png + chunk);
            memcpy(joined + at, png + chunk + 8, length);
            at += length;
            chunk += 12 + (size_t) length;
        }
        stream = joined;
    }
    // Each row inflates to its filter type and its samples.
    const size_t inflated_bytes = cpngdecode_buffer_size(width, height, bands);
    uint8_t *zeros = calloc(row_bytes, 1);
    struct libdeflate_decompressor *decompressor = libdeflate_alloc_decompressor();
    CPNGDecodeResult result = CPNGDECODE_NO_MEMORY;
    if (zeros != NULL && decompressor != NULL) {
        size_t produced = 0;
        const enum libdeflate_result inflating =
            libdeflate_zlib_decompress(decompressor, stream, data_bytes, buffer, inflated_bytes, &produced);
        if (inflating != LIBDEFLATE_SUCCESS || produced != inflated_bytes) {
            result = CPNGDECODE_DAMAGED;
        } else {
            result = unfilter(buffer, height, row_bytes, bands, zeros) ? CPNGDECODE_DONE : CPNGDECODE_DAMAGED;
        }
    }
    if (decompressor != NULL) libdeflate_free_decompressor(decompressor);
    free(zeros);
    free(joined);
    return result;
}
