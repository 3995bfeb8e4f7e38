// The detector itself, compiled twice: by face_detect.cpp for any x86-64 or ARM CPU, and by
// the CFaceDetectAVX2 target with AVX2 and FMA, under which dlib's headers pick their 8-wide
// vector code (about a third fewer instructions and time per image, measured). The including
// file defines FACE_DETECT_NAMESPACE so the two copies' functions do not clash.
#ifndef CFACEDETECT_DETECTOR_BODY_H
#define CFACEDETECT_DETECTOR_BODY_H

#include <algorithm>
#include <cstddef>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include <dlib/image_processing/frontal_face_detector.h>

#include "include/CFaceDetect.h"
#include "fhog_features.h"
#include "filter_scan.h"

namespace FACE_DETECT_NAMESPACE {

// The model, deserialised once per process from `bytes` (dlib's serialised form), and its filters
// regrouped for filter_scan. Neither changes after it is built, so all threads share them; each
// call keeps its own buffers. C++11 makes the static's one-time initialisation thread-safe.
struct LoadedModel {
    dlib::frontal_face_detector detector;
    filter_scan::Model filters;
};

inline const LoadedModel &model(const unsigned char *bytes, std::size_t size) {
    static const LoadedModel shared = [&] {
        std::istringstream stream(std::string(reinterpret_cast<const char *>(bytes), size));
        LoadedModel loaded;
        dlib::deserialize(loaded.detector, stream);
        loaded.filters = filter_scan::Model::make(loaded.detector);
        return loaded;
    }();
    return shared;
}

// What dlib's detector call does (features of every pyramid level, each filter's response, its
// threshold, boxes mapped back to the image, overlapping boxes suppressed best first), with the
// features from fhog_features and the filters applied by filter_scan. A model filter_scan cannot
// take goes through dlib's own call.
// `dlibScan` runs dlib's own call instead (the tests' reference); `adjustment` is added to every
// threshold.
inline std::vector<dlib::rect_detection> detect(const LoadedModel &loaded, const dlib::array2d<unsigned char> &image, bool dlibScan,
                                                double adjustment) {
    std::vector<dlib::rect_detection> found;
    if (dlibScan || !loaded.filters.valid()) {
        // The call keeps scratch buffers in the detector, so it runs on a copy of the shared one.
        dlib::frontal_face_detector copy = loaded.detector;
        copy(image, found, adjustment);
        return found;
    }
    typedef dlib::pyramid_down<6> Pyramid;
    const auto &scanner = loaded.detector.get_scanner();
    const int window = filter_scan::taps;
    const Pyramid pyramid;
    // As many levels as dlib makes: each 5/6 the size of the one before, down to its smallest.
    unsigned long levels = 0;
    for (dlib::rectangle area = dlib::get_rect(image); levels < scanner.get_max_pyramid_levels();) {
        area = pyramid.rect_down(area);
        levels++;
        if (area.width() < scanner.get_min_pyramid_layer_width() || area.height() < scanner.get_min_pyramid_layer_height()) break;
    }
    std::vector<dlib::rect_detection> candidates;
    fhog_features::Extractor extractor;
    fhog_features::Features features;
    filter_scan::Responses responses;
    dlib::array2d<unsigned char> smaller, next;
    for (unsigned long level = 0; level < levels; level++) {
        // Level 0 is the image; each next level is shrunk from the one before, with dlib's filter.
        if (level == 1) pyramid(image, smaller);
        if (level > 1) {
            pyramid(smaller, next);
            dlib::swap(smaller, next);
        }
        const dlib::array2d<unsigned char> &grey = level == 0 ? image : smaller;
        if (grey.size() == 0) break;
        extractor.extract(&grey[0][0], static_cast<int>(grey.nc()), static_cast<int>(grey.nr()), grey.width_step(), features);
        if (features.empty()) continue;
        responses.compute(loaded.filters, features);
        for (int k = 0; k < loaded.filters.detectors(); k++) {
            const double threshold = loaded.filters.thresholds[k] + adjustment;
            for (int r = 0; r < responses.rows; r++) {
                for (int c = 0; c < responses.columns; c++) {
                    const float score = responses.response(k, r, c);
                    if (score < threshold) continue;
                    const dlib::rectangle cells = dlib::centered_rect(dlib::point(c + window / 2, r + window / 2), window, window);
                    dlib::rect_detection candidate;
                    candidate.detection_confidence = score - loaded.filters.thresholds[k];
                    candidate.weight_index = static_cast<unsigned long>(k);
                    candidate.rect = pyramid.rect_up(
                        scanner.get_feature_extractor().feats_to_image(cells, scanner.get_cell_size(), window, window), level);
                    candidates.push_back(candidate);
                }
            }
        }
    }
    std::sort(candidates.rbegin(), candidates.rend());
    const dlib::test_box_overlap overlaps = loaded.detector.get_overlap_tester();
    for (const dlib::rect_detection &candidate : candidates) {
        const bool suppressed = std::any_of(found.begin(), found.end(),
                                            [&](const dlib::rect_detection &kept) { return overlaps(kept.rect, candidate.rect); });
        if (!suppressed) found.push_back(candidate);
    }
    return found;
}

// cfacedetect_find's work, given the model's bytes.
inline int find(const unsigned char *modelBytes, std::size_t modelSize, const unsigned char *grey, int width,
                int height, int stride, CFaceBox *boxes, int capacity, bool dlibScan, double adjustment) {
    try {
        dlib::array2d<unsigned char> image(height, width);
        for (int y = 0; y < height; y++) {
            std::copy(grey + static_cast<long>(y) * stride, grey + static_cast<long>(y) * stride + width,
                      &image[y][0]);
        }
        std::vector<dlib::rect_detection> found = detect(model(modelBytes, modelSize), image, dlibScan, adjustment);
        std::sort(found.begin(), found.end(),
                  [](const dlib::rect_detection &a, const dlib::rect_detection &b) {
                      return a.detection_confidence > b.detection_confidence;
                  });
        int count = static_cast<int>(found.size());
        for (int i = 0; i < count && i < capacity && boxes != nullptr; i++) {
            const dlib::rectangle &r = found[i].rect;
            boxes[i] = CFaceBox{static_cast<int>(r.left()), static_cast<int>(r.top()),
                                static_cast<int>(r.width()), static_cast<int>(r.height()),
                                found[i].detection_confidence};
        }
        return count;
    } catch (const std::exception &) {
        // Only allocation, or a damaged model on first use, can fail here; report it as "no
        // detector" rather than crash.
        return -1;
    }
}

}  // namespace FACE_DETECT_NAMESPACE

#endif
