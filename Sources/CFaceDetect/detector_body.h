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

namespace FACE_DETECT_NAMESPACE {

// The model is deserialised once per process from `bytes` (dlib's serialised form). A detector
// must not be used by two threads at once (it keeps scratch buffers), but copying a built one is
// cheap (a fraction of a millisecond), so each thread copies the shared model on first use.
// C++11 makes the static's one-time initialisation thread-safe.
inline dlib::frontal_face_detector &detector(const unsigned char *bytes, std::size_t size) {
    static const dlib::frontal_face_detector shared = [&] {
        std::istringstream stream(std::string(reinterpret_cast<const char *>(bytes), size));
        dlib::frontal_face_detector loaded;
        dlib::deserialize(loaded, stream);
        return loaded;
    }();
    thread_local dlib::frontal_face_detector instance = shared;
    return instance;
}

// cfacedetect_find's work, given the model's bytes.
inline int find(const unsigned char *model, std::size_t modelSize, const unsigned char *grey, int width,
                int height, int stride, CFaceBox *boxes, int capacity) {
    try {
        dlib::array2d<unsigned char> image(height, width);
        for (int y = 0; y < height; y++) {
            std::copy(grey + static_cast<long>(y) * stride, grey + static_cast<long>(y) * stride + width,
                      &image[y][0]);
        }
        std::vector<dlib::rect_detection> found;
        detector(model, modelSize)(image, found, 0.0);
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
