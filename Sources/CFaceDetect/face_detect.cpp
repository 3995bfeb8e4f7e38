// dlib's HOG frontal face detector behind a C interface (see CFaceDetect.h).
#include "CFaceDetect.h"

#if __has_include(<dlib/image_processing/frontal_face_detector.h>) && defined(SORAIMG_FACES)

#include <algorithm>
#include <exception>
#include <vector>

#include <dlib/image_processing/frontal_face_detector.h>

namespace {

// dlib ships the model compressed with its own entropy coder, and decoding it costs about half a
// second of CPU: do it once per process. A detector must not be used by two threads at once
// (it keeps scratch buffers), but copying a built one is cheap (a fraction of a millisecond),
// so each thread copies the shared model on first use. C++11 makes the static's one-time
// initialisation thread-safe.
const dlib::frontal_face_detector &model() {
    static const dlib::frontal_face_detector shared = dlib::get_frontal_face_detector();
    return shared;
}

dlib::frontal_face_detector &detector() {
    thread_local dlib::frontal_face_detector instance = model();
    return instance;
}

}  // namespace

extern "C" int cfacedetect_available(void) { return 1; }

extern "C" int cfacedetect_find(const unsigned char *grey, int width, int height, int stride,
                                CFaceBox *boxes, int capacity) {
    if (grey == nullptr || width <= 0 || height <= 0 || stride < width) return 0;
    try {
        dlib::array2d<unsigned char> image(height, width);
        for (int y = 0; y < height; y++) {
            std::copy(grey + static_cast<long>(y) * stride, grey + static_cast<long>(y) * stride + width,
                      &image[y][0]);
        }
        std::vector<dlib::rect_detection> found;
        detector()(image, found, 0.0);
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
        // Only allocation can fail here; report it as "no detector" rather than crash.
        return -1;
    }
}

#else

extern "C" int cfacedetect_available(void) { return 0; }

extern "C" int cfacedetect_find(const unsigned char *, int, int, int, CFaceBox *, int) { return -1; }

#endif
