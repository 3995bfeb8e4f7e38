#include "CResample.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define CRESAMPLE_HAS_AVX2_PATH 1
#endif

enum { ROUNDING = 1 << (CRESAMPLE_WEIGHT_BITS - 1) };

// Row buffer slack: the vector loops read a few bytes past the last pixel they use.
enum { ROW_SLACK = 32 };

static inline uint8_t clamp_to_byte(int32_t sum) {
    int32_t value = sum >> CRESAMPLE_WEIGHT_BITS; // arithmetic shift, as the vector code does
    return value < 0 ? 0 : value > 255 ? 255 : (uint8_t) value;
}

// row[i] = sum over t of column i of source row t, times weights[t], for i in from ..< length.
static void vertical_portable(const uint8_t *first, size_t stride, int taps, const int16_t *weights,
                              size_t from, size_t length, uint8_t *row) {
    for (size_t i = from; i < length; i++) {
        int32_t sum = ROUNDING;
        for (int t = 0; t < taps; t++) sum += first[(size_t) t * stride + i] * weights[t];
        row[i] = clamp_to_byte(sum);
    }
}

// Each output pixel: the weighted sum of `taps` neighbouring pixels of `row`, band by band.
static void horizontal_portable(const uint8_t *row, int bands, const CResampleAxis *x, int span_first,
                                uint8_t *out) {
    for (int i = 0; i < x->outputs; i++) {
        const uint8_t *pixels = row + (size_t) (x->starts[i] - span_first) * bands;
        const int16_t *weights = x->weights + (size_t) i * x->taps;
        for (int band = 0; band < bands; band++) {
            int32_t sum = ROUNDING;
            for (int t = 0; t < x->taps; t++) sum += pixels[t * bands + band] * weights[t];
            out[i * bands + band] = clamp_to_byte(sum);
        }
    }
}

#ifdef CRESAMPLE_HAS_AVX2_PATH

// Two weights side by side in one 32-bit lane, for _mm*_madd_epi16 (a*w0 + b*w1 per lane).
static inline int32_t weight_pair(const int16_t *weights) {
    return (int32_t) (((uint32_t) (uint16_t) weights[1] << 16) | (uint16_t) weights[0]);
}

// 16 bytes at a time, two source rows per multiply-add: the bytes of rows t and t + 1 are
// interleaved, widened to 16 bits and multiplied by (w[t], w[t + 1]), summing in 32 bits.
__attribute__((target("avx2")))
static void vertical_avx2(const uint8_t *first, size_t stride, int taps, const int16_t *weights,
                          size_t length, uint8_t *row) {
    size_t i = 0;
    for (; i + 16 <= length; i += 16) {
        __m256i low = _mm256_set1_epi32(ROUNDING), high = low;
        for (int t = 0; t < taps; t += 2) {
            __m128i a = _mm_loadu_si128((const __m128i *) (first + (size_t) t * stride + i));
            __m128i b = _mm_loadu_si128((const __m128i *) (first + (size_t) (t + 1) * stride + i));
            __m256i pair = _mm256_set1_epi32(weight_pair(weights + t));
            low = _mm256_add_epi32(low, _mm256_madd_epi16(_mm256_cvtepu8_epi16(_mm_unpacklo_epi8(a, b)), pair));
            high = _mm256_add_epi32(high, _mm256_madd_epi16(_mm256_cvtepu8_epi16(_mm_unpackhi_epi8(a, b)), pair));
        }
        low = _mm256_srai_epi32(low, CRESAMPLE_WEIGHT_BITS);
        high = _mm256_srai_epi32(high, CRESAMPLE_WEIGHT_BITS);
        // packs works within 128-bit lanes: put the four 64-bit quarters back in pixel order.
        __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(low, high), 0xD8);
        __m128i bytes = _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
        _mm_storeu_si128((__m128i *) (row + i), bytes);
    }
    vertical_portable(first, stride, taps, weights, i, length, row);
}

// The same band of pixels t and t + 1 side by side as 16-bit values, for 1, 3 or 4 bands.
__attribute__((target("avx2")))
static inline __m128i band_pairs(int bands) {
    return bands == 4 ? _mm_setr_epi8(0, -1, 4, -1, 1, -1, 5, -1, 2, -1, 6, -1, 3, -1, 7, -1)
         : bands == 3 ? _mm_setr_epi8(0, -1, 3, -1, 1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1)
                      : _mm_setr_epi8(0, -1, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
}

// Two output pixels (i, i + 1), one per 128-bit lane, two taps per multiply-add: 8 bytes from
// each pixel's window (pixels t and t + 1 and what follows, which the shuffle drops) are laid
// out band by band and multiplied by that pixel's two weights. Returns the sums, one band per
// 32-bit slot (the fourth slot is 0 unless there are 4 bands).
__attribute__((target("avx2")))
static inline __m256i two_outputs(const uint8_t *a, const uint8_t *b, const int16_t *wa, const int16_t *wb,
                                  int taps, int bands, __m256i layout) {
    __m256i sum = _mm256_set1_epi32(ROUNDING);
    for (int t = 0; t < taps; t += 2) {
        __m256i pixels = _mm256_setr_m128i(_mm_loadl_epi64((const __m128i *) (a + t * bands)),
                                           _mm_loadl_epi64((const __m128i *) (b + t * bands)));
        __m256i weights = _mm256_setr_m128i(_mm_set1_epi32(weight_pair(wa + t)), _mm_set1_epi32(weight_pair(wb + t)));
        sum = _mm256_add_epi32(sum, _mm256_madd_epi16(_mm256_shuffle_epi8(pixels, layout), weights));
    }
    return _mm256_srai_epi32(sum, CRESAMPLE_WEIGHT_BITS);
}

// Four output pixels per step (two per 256-bit register), packed to bytes together and stored
// as 4 x bands bytes; the last few one at a time.
__attribute__((target("avx2")))
static void horizontal_avx2(const uint8_t *row, int bands, const CResampleAxis *x, int span_first,
                            uint8_t *out) {
    const __m256i layout = _mm256_broadcastsi128_si256(band_pairs(bands));
    // Bytes 0..15 hold four pixels of 4 slots; keep the first `bands` of each.
    const __m128i compact =
        bands == 4 ? _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        : bands == 3 ? _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1)
                     : _mm_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const int taps = x->taps;
    int i = 0;
    for (; i + 4 <= x->outputs; i += 4) {
        const uint8_t *p[4];
        for (int k = 0; k < 4; k++) p[k] = row + (size_t) (x->starts[i + k] - span_first) * bands;
        const int16_t *w = x->weights + (size_t) i * taps;
        __m256i first = two_outputs(p[0], p[1], w, w + taps, taps, bands, layout);
        __m256i second = two_outputs(p[2], p[3], w + 2 * taps, w + 3 * taps, taps, bands, layout);
        // Lane 0 holds pixels i and i + 2, lane 1 pixels i + 1 and i + 3.
        __m256i bytes = _mm256_packus_epi16(_mm256_packs_epi32(first, second), _mm256_setzero_si256());
        __m128i pixels = _mm_shuffle_epi8(
            _mm_unpacklo_epi32(_mm256_castsi256_si128(bytes), _mm256_extracti128_si256(bytes, 1)), compact);
        uint8_t *to = out + (size_t) i * bands;
        if (bands == 4) {
            _mm_storeu_si128((__m128i *) to, pixels);
        } else if (bands == 3) {
            _mm_storel_epi64((__m128i *) to, pixels);
            uint32_t last = (uint32_t) _mm_extract_epi32(pixels, 2);
            memcpy(to + 8, &last, 4);
        } else {
            uint32_t four = (uint32_t) _mm_cvtsi128_si32(pixels);
            memcpy(to, &four, 4);
        }
    }
    for (; i < x->outputs; i++) {
        const uint8_t *pixels = row + (size_t) (x->starts[i] - span_first) * bands;
        const int16_t *weights = x->weights + (size_t) i * taps;
        __m128i sum = _mm_set1_epi32(ROUNDING);
        for (int t = 0; t < taps; t += 2) {
            __m128i two = _mm_shuffle_epi8(_mm_loadl_epi64((const __m128i *) (pixels + t * bands)), band_pairs(bands));
            sum = _mm_add_epi32(sum, _mm_madd_epi16(two, _mm_set1_epi32(weight_pair(weights + t))));
        }
        sum = _mm_srai_epi32(sum, CRESAMPLE_WEIGHT_BITS);
        uint32_t packed = (uint32_t) _mm_cvtsi128_si32(_mm_packus_epi16(_mm_packs_epi32(sum, sum), sum));
        uint8_t *pixel = out + (size_t) i * bands;
        pixel[0] = (uint8_t) packed;
        if (bands > 1) {
            pixel[1] = (uint8_t) (packed >> 8);
            pixel[2] = (uint8_t) (packed >> 16);
            if (bands > 3) pixel[3] = (uint8_t) (packed >> 24);
        }
    }
}

int cresample_has_vector_loops(void) {
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

#else

int cresample_has_vector_loops(void) {
    return 0;
}

#endif

int cresample_reduce_u8(const uint8_t *source, size_t source_stride, int bands,
                        const CResampleAxis *x, const CResampleAxis *y,
                        uint8_t *destination, size_t destination_stride, int portable) {
    // The source columns any output pixel reads; the vertical pass only sums those.
    int span_first = x->starts[0];
    size_t length = (size_t) (x->starts[x->outputs - 1] + x->taps - span_first) * bands;
    // calloc: the slack the vector loops read past the end is defined (and then ignored).
    uint8_t *row = calloc(length + ROW_SLACK, 1);
    if (!row) return -1;
#ifdef CRESAMPLE_HAS_AVX2_PATH
    int vector = !portable && cresample_has_vector_loops();
#else
    (void) portable;
#endif
    for (int j = 0; j < y->outputs; j++) {
        const uint8_t *first = source + (size_t) y->starts[j] * source_stride + (size_t) span_first * bands;
        const int16_t *weights = y->weights + (size_t) j * y->taps;
        uint8_t *out = destination + (size_t) j * destination_stride;
#ifdef CRESAMPLE_HAS_AVX2_PATH
        if (vector) {
            vertical_avx2(first, source_stride, y->taps, weights, length, row);
            horizontal_avx2(row, bands, x, span_first, out);
            continue;
        }
#endif
        vertical_portable(first, source_stride, y->taps, weights, 0, length, row);
        horizontal_portable(row, bands, x, span_first, out);
    }
    free(row);
    return 0;
}
