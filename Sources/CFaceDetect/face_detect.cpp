// dlib's HOG frontal face detector behind a C interface (see CFaceDetect.h).
#include "CFaceDetect.h"

#if __has_include(<dlib/image_processing/frontal_face_detector.h>) && defined(SORAIMG_FACES)

#include <algorithm>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include <dlib/image_processing/frontal_face_detector.h>

namespace {

// dlib compiles its model in compressed with its own entropy coder, and
// get_frontal_face_detector() decodes it on every call: about half a second of CPU, more than a
// whole photo's prep. scripts/make-face-model writes the decoded bytes (dlib's own serialised
// form, reproduced byte for byte from the installed dlib); embedded here, they deserialise in a
// few milliseconds. A compiler without #embed falls back to dlib's own decode.
#if defined(__has_embed)
#if __has_embed("model/frontal_face_detector.dat")
#define CFACEDETECT_EMBEDDED_MODEL 1
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc23-extensions"
const unsigned char embeddedModel[] = {
#embed "model/frontal_face_detector.dat"
};
#pragma clang diagnostic pop
#endif
#endif

dlib::frontal_face_detector loadModel() {
#ifdef CFACEDETECT_EMBEDDED_MODEL
    std::istringstream bytes(std::string(reinterpret_cast<const char *>(embeddedModel), sizeof embeddedModel));
    dlib::frontal_face_detector loaded;
    dlib::deserialize(loaded, bytes);
    return loaded;
#else
    return dlib::get_frontal_face_detector();
#endif
}

// The model is loaded once per process. A detector must not be used by two threads at once (it
// keeps scratch buffers), but copying a built one is cheap (a fraction of a millisecond), so
// each thread copies the shared model on first use. C++11 makes the static's one-time
// initialisation thread-safe.
const dlib::frontal_face_detector &model() {
    static const dlib::frontal_face_detector shared = loadModel();
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
        // Only allocation, or a damaged model on first use, can fail here; report it as "no
        // detector" rather than crash.
        return -1;
    }
}

#else

extern "C" int cfacedetect_available(void) { return 0; }

extern "C" int cfacedetect_find(const unsigned char *, int, int, int, CFaceBox *, int) { return -1; }

#endif
