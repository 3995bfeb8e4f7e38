// FHOG features of a grey image, the 31 planes dlib's extract_fhog_features computes (Felzenszwalb
// et al.'s HOG variant: 18 signed and 9 unsigned orientation bins and 4 texture sums per 8x8
// cell), laid out for filter_scan. Included by detector_body.h, in its namespace, so it is
// compiled for any CPU and again for AVX2.
//
// Same definitions as dlib, cheaper steps:
// - gradients are snapped to bins a vector of pixels at a time, with dlib's nine direction
//   vectors and its order of comparisons;
// - bilinear voting goes through a row accumulator: each pixel votes into two cells of its row
//   (left and right), and each row is then added into the two cell rows above and below it with
//   one weight per row, in contiguous runs; dlib adds each pixel into four cells one at a time;
// - each 2x2 block's energy is summed once and shared by the four cells that use it.
// The sums run in another order than dlib's, so features differ from its in the last bits.
#ifndef CFACEDETECT_FHOG_FEATURES_H
#define CFACEDETECT_FHOG_FEATURES_H

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "vector_lanes.h"

namespace FACE_DETECT_NAMESPACE {
namespace fhog_features {

constexpr int cellSize = 8;
constexpr int bins = 18;
constexpr int planeCount = 31;

// The 31 planes of one image, each `rows` x `columns` with rows `stride` floats apart, zero
// outside the features. Like dlib's (called with 10x10 filters), they have 4 cells of zeros
// before the first feature row and column and 5 after the last, so a filter can hang over the
// image's edge by up to half its size. `stride` leaves room past the last column, all zeros, for
// whole vectors of filter positions: filter_scan reads there.
struct Features {
    static constexpr int before = 4, after = 5;
    int rows = 0, columns = 0, stride = 0;
    std::vector<float> data;

    float *plane(int p) { return &data[static_cast<std::size_t>(p) * rows * stride]; }
    const float *plane(int p) const { return &data[static_cast<std::size_t>(p) * rows * stride]; }
    bool empty() const { return rows == 0; }
};

typedef int Ints __attribute__((vector_size(lanes * sizeof(int)), aligned(4)));
typedef unsigned char Bytes __attribute__((vector_size(lanes), aligned(1)));

inline Floats floatsOf(const unsigned char *p) {
    Bytes bytes;
    std::memcpy(&bytes, p, sizeof bytes);
    return __builtin_convertvector(bytes, Floats);
}

// Square roots of lengths (never negative), a vector at a time: std::sqrt may set errno, which
// keeps the compiler from vectorising it.
inline Floats root(Floats squared) {
#if __has_builtin(__builtin_elementwise_sqrt)
    return __builtin_elementwise_sqrt(squared);
#else
    for (int i = 0; i < lanes; i++) squared[i] = std::sqrt(squared[i]);
    return squared;
#endif
}

inline float root(float squared) { return std::sqrt(squared); }

// For `lanes` pixels of a row: the gradient's length and its direction snapped, as dlib
// does, to the first of its nine unit vectors or their opposites with the largest dot product
// (bin 0 for a zero gradient). dlib multiplies and adds separately; so does this (no fused
// multiply-add), so that near-ties break the same way. Takes any number of lanes, so the row's
// last few pixels can be done one at a time without reading past it.
constexpr float directionX[9] = {1.0000f, 0.9397f, 0.7660f, 0.500f, 0.1736f, -0.1736f, -0.5000f, -0.7660f, -0.9397f};
constexpr float directionY[9] = {0.0000f, 0.3420f, 0.6428f, 0.8660f, 0.9848f, 0.9848f, 0.8660f, 0.6428f, 0.3420f};

#pragma STDC FP_CONTRACT OFF
template <typename Real, typename Integer>
inline void snap(Real dx, Real dy, float *length, int *bin) {
    Real best = dx - dx;
    Integer chosen = best > best;
    for (int o = 0; o < 9; o++) {
        const Real dot = dx * directionX[o] + dy * directionY[o];
        Integer better = dot > best;
        best = better ? dot : best;
        chosen = better ? o : chosen;
        better = -dot > best;
        best = better ? -dot : best;
        chosen = better ? o + 9 : chosen;
    }
    const Real magnitude = root(dx * dx + dy * dy);
    std::memcpy(length, &magnitude, sizeof magnitude);
    std::memcpy(bin, &chosen, sizeof chosen);
}
#pragma STDC FP_CONTRACT DEFAULT

// The gradients of `lanes` pixels from `row` on.
inline void gradients(const unsigned char *above, const unsigned char *row, const unsigned char *below, float *length, int *bin) {
    snap<Floats, Ints>(floatsOf(row + 1) - floatsOf(row - 1), floatsOf(below) - floatsOf(above), length, bin);
}

// The gradient of the one pixel at `row`.
inline void gradient(const unsigned char *above, const unsigned char *row, const unsigned char *below, float *length, int *bin) {
    snap<float, int>(static_cast<float>(row[1]) - static_cast<float>(row[-1]), static_cast<float>(*below) - static_cast<float>(*above),
                     length, bin);
}

// Reusable buffers; one per thread.
class Extractor {
public:
    // The features of `grey` (`height` rows of `width` bytes, `stride` apart).
    void extract(const unsigned char *grey, int width, int height, long stride, Features &out) {
        const int cellRows = static_cast<int>(static_cast<float>(height) / cellSize + 0.5f);
        const int cellColumns = static_cast<int>(static_cast<float>(width) / cellSize + 0.5f);
        const int featureRows = cellRows - 2, featureColumns = cellColumns - 2;
        if (featureRows <= 0 || featureColumns <= 0) {
            out = Features();
            return;
        }
        accumulate(grey, width, height, stride, cellRows, cellColumns);
        blockEnergies(cellRows, cellColumns);

        out.rows = featureRows + Features::before + Features::after;
        out.columns = featureColumns + Features::before + Features::after;
        const int padded = (featureColumns + lanes - 1) / lanes * lanes;
        out.stride = padded + Features::before + Features::after;
        out.data.assign(static_cast<std::size_t>(planeCount) * out.rows * out.stride, 0.0f);
        const int histStride = (cellColumns + 2) * bins;
        for (int y = 0; y < featureRows; y++) {
            for (int x = 0; x < featureColumns; x++) {
                // The cell's four 2x2 blocks, in dlib's order: below right, above right, below
                // left, above left (block (r, c) spans cells r..r+1, c..c+1).
                const float energy[4] = {block[(y + 1) * blockColumns + x + 1], block[y * blockColumns + x + 1],
                                         block[(y + 1) * blockColumns + x], block[y * blockColumns + x]};
                float clip[4], scale[4];
                for (int j = 0; j < 4; j++) {
                    clip[j] = 0.2f * std::sqrt(energy[j] + 0.0001f);
                    scale[j] = 0.1f / clip[j];
                }
                const float *h = &hist[static_cast<std::size_t>(y + 2) * histStride + (x + 2) * bins];
                const std::size_t at = static_cast<std::size_t>(y + Features::before) * out.stride + x + Features::before;
                float texture[4] = {0, 0, 0, 0};
                for (int o = 0; o < bins; o++) {
                    float sum = 0;
                    for (int j = 0; j < 4; j++) {
                        const float part = std::min(h[o], clip[j]) * scale[j];
                        sum += part;
                        texture[j] += part;
                    }
                    out.plane(o)[at] = sum;
                }
                for (int o = 0; o < 9; o++) {
                    const float unsigned_ = h[o] + h[o + 9];
                    float sum = 0;
                    for (int j = 0; j < 4; j++) sum += std::min(unsigned_, clip[j]) * scale[j];
                    out.plane(bins + o)[at] = sum;
                }
                for (int j = 0; j < 4; j++) out.plane(27 + j)[at] = texture[j] * 0.4714f;
            }
        }
    }

private:
    std::vector<float> hist, block, rowVotes, magnitude;
    std::vector<int> bin, leftCell;
    std::vector<float> leftWeight;
    int blockColumns = 0;

    // hist: (cellRows + 2) x (cellColumns + 2) cells of 18 bins, a border cell all round (the
    // votes of the outermost pixels land there and are never read).
    void accumulate(const unsigned char *grey, int width, int height, long stride, int cellRows, int cellColumns) {
        const int histStride = (cellColumns + 2) * bins;
        hist.assign(static_cast<std::size_t>(cellRows + 2) * histStride, 0.0f);
        rowVotes.assign(histStride, 0.0f);
        const int lastRow = std::min(cellRows * cellSize, height) - 1;
        const int lastColumn = std::min(cellColumns * cellSize, width) - 1;
        if (lastRow < 2 || lastColumn < 2) return;
        // Each column's left cell (in hist, border included) and its weight; the right cell gets
        // the rest.
        leftCell.resize(lastColumn);
        leftWeight.resize(lastColumn);
        for (int x = 1; x < lastColumn; x++) {
            const float position = (static_cast<float>(x) + 0.5f) / cellSize + 0.5f;
            leftCell[x] = static_cast<int>(position);
            leftWeight[x] = 1.0f - (position - static_cast<float>(leftCell[x]));
        }
        magnitude.resize(lastColumn);
        bin.resize(lastColumn);
        for (int y = 1; y < lastRow; y++) {
            const unsigned char *above = grey + (y - 1) * stride, *row = grey + y * stride, *below = grey + (y + 1) * stride;
            // Whole vectors while they stay inside the row, then pixel by pixel.
            int x = 1;
            for (; x + lanes <= lastColumn; x += lanes) gradients(above + x, row + x, below + x, &magnitude[x], &bin[x]);
            for (; x < lastColumn; x++) gradient(above + x, row + x, below + x, &magnitude[x], &bin[x]);
            for (int x = 1; x < lastColumn; x++) {
                float *cell = &rowVotes[leftCell[x] * bins + bin[x]];
                const float left = leftWeight[x] * magnitude[x];
                cell[0] += left;
                cell[bins] += magnitude[x] - left;
            }
            // The row's votes go to the cell rows above and below its centre line.
            const float position = (static_cast<float>(y) + 0.5f) / cellSize - 0.5f;
            const int upper = static_cast<int>(std::floor(position));
            const float lowerWeight = position - static_cast<float>(upper), upperWeight = 1.0f - lowerWeight;
            float *up = &hist[static_cast<std::size_t>(upper + 1) * histStride];
            float *down = up + histStride;
            for (int i = 0; i < histStride; i++) {
                up[i] += upperWeight * rowVotes[i];
                down[i] += lowerWeight * rowVotes[i];
                rowVotes[i] = 0;
            }
        }
    }

    // block[r][c]: the energy (sum over the 9 unsigned bins of the squared bin) of the four cells
    // r..r+1, c..c+1, added in dlib's order.
    void blockEnergies(int cellRows, int cellColumns) {
        const int histStride = (cellColumns + 2) * bins;
        std::vector<float> &energy = magnitude;  // reused: one value per cell
        energy.assign(static_cast<std::size_t>(cellRows) * cellColumns, 0.0f);
        for (int r = 0; r < cellRows; r++) {
            for (int c = 0; c < cellColumns; c++) {
                const float *h = &hist[static_cast<std::size_t>(r + 1) * histStride + (c + 1) * bins];
                float sum = 0;
                for (int o = 0; o < 9; o++) sum += (h[o] + h[o + 9]) * (h[o] + h[o + 9]);
                energy[r * cellColumns + c] = sum;
            }
        }
        blockColumns = cellColumns - 1;
        block.resize(static_cast<std::size_t>(cellRows - 1) * blockColumns);
        for (int r = 0; r + 1 < cellRows; r++) {
            for (int c = 0; c + 1 < cellColumns; c++) {
                const float *e = &energy[r * cellColumns + c];
                block[r * blockColumns + c] = e[0] + e[1] + e[cellColumns] + e[cellColumns + 1];
            }
        }
    }
};

}  // namespace fhog_features
}  // namespace FACE_DETECT_NAMESPACE

#endif
