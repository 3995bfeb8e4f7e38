// The frontal face model's scan of an FHOG pyramid: all five of its filters applied in one pass
// per feature plane, instead of dlib's one pass per filter, plane and rank. Included by
// detector_body.h, in its namespace, so it is compiled for any CPU and again for AVX2.
//
// dlib keeps each of the model's 10x10 filters (one per feature plane, 31 planes, five filters)
// as a sum of separable terms, a row vector times a column vector: 305 terms in all. For each
// term dlib filters the plane's rows into a scratch image, then that image's columns into the
// filter's response, reloading the plane every time. Here a plane's rows are loaded once for all
// of its terms (about ten), the column pass makes four output rows from each load, and every
// product is a fused multiply-add. The arithmetic is the same; only the order of the additions
// differs, which moves scores by a few millionths (the tests compare with dlib's own scan).
#ifndef CFACEDETECT_FILTER_SCAN_H
#define CFACEDETECT_FILTER_SCAN_H

#include <vector>

#include "fhog_features.h"
#include "vector_lanes.h"

namespace FACE_DETECT_NAMESPACE {
namespace filter_scan {

// The model's filters are 10x10 feature cells; Model::make refuses any other model.
constexpr int taps = 10;
constexpr int planes = fhog_features::planeCount;

// One separable term of one filter: row and column vectors whose outer product it is.
struct Term {
    int detector;
    float row[taps];
    float column[taps];
};

// The model's terms, grouped by feature plane, and each filter's detection threshold.
struct Model {
    std::vector<std::vector<Term>> terms;
    std::vector<double> thresholds;

    // The terms of `detector`'s filter banks; an empty model (valid() false) when their shape is
    // not the one this scan handles.
    template <typename Detector>
    static Model make(const Detector &detector) {
        Model model;
        const auto &scanner = detector.get_scanner();
        if (scanner.get_fhog_window_width() != taps || scanner.get_fhog_window_height() != taps ||
            scanner.get_cell_size() != fhog_features::cellSize || scanner.get_padding() != 0)
            return Model();
        model.terms.resize(planes);
        for (unsigned long k = 0; k < detector.num_detectors(); k++) {
            const auto &weights = detector.get_processed_w(k);
            const auto &bank = weights.get_detect_argument();
            if (bank.row_filters.size() != planes || bank.col_filters.size() != planes) return Model();
            model.thresholds.push_back(weights.w(scanner.get_num_dimensions()));
            for (int plane = 0; plane < planes; plane++) {
                for (std::size_t j = 0; j < bank.row_filters[plane].size(); j++) {
                    const auto &row = bank.row_filters[plane][j];
                    const auto &column = bank.col_filters[plane][j];
                    if (row.size() != taps || column.size() != taps) return Model();
                    Term term;
                    term.detector = static_cast<int>(k);
                    for (int n = 0; n < taps; n++) {
                        term.row[n] = row(n);
                        term.column[n] = column(n);
                    }
                    model.terms[plane].push_back(term);
                }
            }
        }
        return model;
    }

    bool valid() const { return !thresholds.empty(); }
    int detectors() const { return static_cast<int>(thresholds.size()); }
};

// Every filter's response on one pyramid level, as dlib's scan computes it where the filter fits
// wholly inside the feature planes: `response(k, r, c)` is filter k centred on feature cell
// (r + taps/2, c + taps/2). Buffers are reused from level to level.
class Responses {
public:
    int rows = 0, columns = 0;

    float response(int detector, int r, int c) const { return out[(static_cast<std::size_t>(detector) * rows + r) * width + c]; }

    void compute(const Model &model, const fhog_features::Features &features) {
        const int nr = features.rows, stride = features.stride;
        rows = nr - taps + 1;
        columns = features.columns - taps + 1;
        width = (columns + lanes - 1) / lanes * lanes;
        out.assign(static_cast<std::size_t>(model.detectors()) * rows * width, 0.0f);
        const std::size_t passSize = static_cast<std::size_t>(nr) * width;
        for (int p = 0; p < planes; p++) {
            const std::vector<Term> &terms = model.terms[p];
            if (terms.empty()) continue;
            const float *plane = features.plane(p);
            const int count = static_cast<int>(terms.size());
            rowPasses.resize(count * passSize);
            // Row pass: the ten shifted loads of a stretch of row serve every term of the plane.
            for (int y = 0; y < nr; y++) {
                const float *source = plane + static_cast<std::size_t>(y) * stride;
                for (int x = 0; x < width; x += lanes) {
                    Floats shifted[taps];
                    for (int n = 0; n < taps; n++) shifted[n] = load(source + x + n);
                    for (int k = 0; k < count; k++) {
                        const float *row = terms[k].row;
                        Floats sum = row[0] * shifted[0];
                        for (int n = 1; n < taps; n++) sum += row[n] * shifted[n];
                        store(&rowPasses[k * passSize + static_cast<std::size_t>(y) * width + x], sum);
                    }
                }
            }
            for (int k = 0; k < count; k++) columnPass(terms[k], &rowPasses[k * passSize]);
        }
    }

private:
    int width = 0;
    std::vector<float> out, rowPasses;

    // Adds the term's column filter over its row pass into its detector's responses; each of
    // the thirteen loads for four output rows feeds up to four of them.
    void columnPass(const Term &term, const float *pass) {
        const float *column = term.column;
        float *responses = &out[static_cast<std::size_t>(term.detector) * rows * width];
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            for (int x = 0; x < width; x += lanes) {
                float *o = responses + static_cast<std::size_t>(r) * width + x;
                Floats s0 = load(o), s1 = load(o + width), s2 = load(o + 2 * width), s3 = load(o + 3 * width);
                for (int n = 0; n < taps + 3; n++) {
                    const Floats v = load(pass + static_cast<std::size_t>(r + n) * width + x);
                    if (n < taps) s0 += column[n] * v;
                    if (n >= 1 && n < taps + 1) s1 += column[n - 1] * v;
                    if (n >= 2 && n < taps + 2) s2 += column[n - 2] * v;
                    if (n >= 3) s3 += column[n - 3] * v;
                }
                store(o, s0);
                store(o + width, s1);
                store(o + 2 * width, s2);
                store(o + 3 * width, s3);
            }
        }
        for (; r < rows; r++) {
            float *o = responses + static_cast<std::size_t>(r) * width;
            for (int x = 0; x < width; x += lanes) {
                Floats sum = load(o + x);
                for (int n = 0; n < taps; n++) sum += column[n] * load(pass + static_cast<std::size_t>(r + n) * width + x);
                store(o + x, sum);
            }
        }
    }
};

}  // namespace filter_scan
}  // namespace FACE_DETECT_NAMESPACE

#endif
