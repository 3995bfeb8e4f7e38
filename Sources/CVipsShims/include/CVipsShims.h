// Thin forwards to libvips calls that Swift cannot make.
//
// libvips passes optional arguments as NULL-terminated C varargs, and Swift cannot call
// C variadic functions. Each shim below fixes the optional arguments soraimg needs and
// forwards in one line; none holds any logic. A few more expand libvips' pixel-address macros,
// which Swift cannot import, for the reducer that reads and writes libvips' memory directly. Return values follow libvips: 0 on success,
// -1 on failure with the reason in vips' error buffer.
#ifndef CVIPS_SHIMS_H
#define CVIPS_SHIMS_H

#include <vips/vips.h>
#include <malloc.h>

// mallopt(M_ARENA_MAX, n): Swift's Glibc module does not include malloc.h. libvips starts and
// ends worker threads per image and glibc gives new threads new arenas, so without a cap a
// long batch's memory creeps up.
int CVipsShims_limit_malloc_arenas(int count);

// mallopt(M_MMAP_THRESHOLD) and mallopt(M_TRIM_THRESHOLD): blocks up to `mmap_threshold` bytes
// come from (and return to) the heap instead of their own mapping, and the heap keeps up to
// `trim_threshold` free bytes at its top. Returns 1 when both were accepted.
int CVipsShims_keep_freed_memory(int mmap_threshold, int trim_threshold);

// libvips' kill switch as a time budget: once `seconds` have passed (from this call), the next
// progress report of any evaluation of `image` (a loader's decode included) sets the kill flag,
// and the evaluation stops with an error. The handler must be C (a GObject signal handler); it
// only compares two clocks.
void CVipsShims_limit_time(VipsImage *image, double seconds);

// vips_image_new_from_buffer: the loader's options go in `options` ("shrink=2,fail_on=truncated"),
// because buffer loads ignore fail_on given as a vararg in libvips 8.14.
VipsImage *CVipsShims_image_new_from_buffer(const void *buf, size_t len, const char *options);

// vips_extract_area: crop a rectangle.
int CVipsShims_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height);

// vips_resize with an explicit kernel and separate horizontal and vertical scales.
int CVipsShims_resize(VipsImage *in, VipsImage **out, double hscale, double vscale, VipsKernel kernel);

// vips_embed: place `in` at (x, y) in a width x height canvas, filling with `extend`.
int CVipsShims_embed(VipsImage *in, VipsImage **out, int x, int y, int width, int height,
                     VipsExtend extend);

// vips_embed with a solid background (one value per band), for contain's padding.
int CVipsShims_embed_background(VipsImage *in, VipsImage **out, int x, int y, int width, int height,
                                const double *background, int n);

// vips_insert: paste `sub` onto `main` at (x, y); the result has main's size.
int CVipsShims_insert(VipsImage *main, VipsImage *sub, VipsImage **out, int x, int y);

// vips_gaussblur with the default precision.
int CVipsShims_gaussblur(VipsImage *in, VipsImage **out, double sigma);

// vips_smartcrop: the width x height area libvips finds most interesting by `interesting`.
int CVipsShims_smartcrop(VipsImage *in, VipsImage **out, int width, int height,
                         VipsInteresting interesting);

// vips_flatten: composite the alpha band onto `background` (one value per colour band).
int CVipsShims_flatten(VipsImage *in, VipsImage **out, const double *background, int n,
                       double max_alpha);

// vips_icc_transform to `output_profile` at 8 bits, using the embedded profile when it can be
// read and `input_profile` otherwise.
int CVipsShims_icc_transform(VipsImage *in, VipsImage **out, const char *output_profile,
                             const char *input_profile, VipsIntent intent);

// vips_colourspace: convert between interpretations (B_W, GREY16, RGB16, sRGB, CMYK...).
int CVipsShims_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space);

// vips_cast: change the band format, clipping.
int CVipsShims_cast(VipsImage *in, VipsImage **out, VipsBandFormat format);

// vips_extract_band: keep `n` bands starting at `band`.
int CVipsShims_extract_band(VipsImage *in, VipsImage **out, int band, int n);

// vips_linear1 with 8-bit output (a * in + b, truncated and clipped to 0-255): rescales an
// alpha band on its own.
int CVipsShims_linear_uchar(VipsImage *in, VipsImage **out, double a, double b);

// vips_bandjoin2: the bands of `in2` after those of `in1`.
int CVipsShims_bandjoin2(VipsImage *in1, VipsImage *in2, VipsImage **out);

// vips_autorot: rotate and flip upright from the image's orientation field.
int CVipsShims_autorot(VipsImage *in, VipsImage **out);

// vips_jpegsave_buffer with every metadata block stripped.
int CVipsShims_jpegsave_buffer(VipsImage *in, void **buf, size_t *len, int quality,
                               VipsForeignSubsample subsample);

// vips_pngsave_buffer with every metadata chunk stripped.
int CVipsShims_pngsave_buffer(VipsImage *in, void **buf, size_t *len, int compression);

// vips_webpsave_buffer with every metadata chunk stripped.
int CVipsShims_webpsave_buffer(VipsImage *in, void **buf, size_t *len, int quality);

// Encodes a tiny image as WebP, JPEG and PNG and decodes each back the way prep opens photos
// (WebP with `scale`, JPEG with `shrink`, whole into memory), on the calling thread. libvips
// 8.14 and its codecs set some state up on first use without a lock: two images opened at once
// as a process's first could fail with no message. Called once, before any parallel work.
// 0 on success.
int CVipsShims_warm_up_codecs(void);

// The pixels of `image`, computed whole, in a region the caller unrefs. For an image decoded
// into memory (a random-access load, or a crop of one) the region points into that memory:
// nothing is copied. NULL on failure (a decode error, or the time limit's kill).
VipsRegion *CVipsShims_region_whole(VipsImage *image);

// VIPS_REGION_ADDR at the region's top-left corner, and VIPS_REGION_LSKIP (bytes between rows).
const unsigned char *CVipsShims_region_pixels(VipsRegion *region);
size_t CVipsShims_region_stride(VipsRegion *region);

// A new memory image of `width` x `height` with `like`'s bands, format, interpretation and
// metadata (ICC profile, orientation...), its pixel buffer allocated and not yet written.
VipsImage *CVipsShims_image_new_memory_like(VipsImage *like, int width, int height);

// A memory image over `pixels` (`size` bytes, `width` x `height` packed pixels with `like`'s
// bands and format, allocated with malloc), with `like`'s interpretation, resolution and
// metadata. The image owns the pixels from then on and frees them when it closes; on failure
// (NULL) they are still the caller's. libvips' own new_from_memory leaves freeing to the caller,
// who cannot know when the last reference goes.
VipsImage *CVipsShims_image_adopting_pixels(VipsImage *like, void *pixels, size_t size, int width, int height);

// VIPS_IMAGE_ADDR at (0, 0) of a memory image, and its bytes per row.
unsigned char *CVipsShims_image_pixels(VipsImage *image);
size_t CVipsShims_image_stride(VipsImage *image);

// vips_linear1: out = in * a + b on every band, cast back to uchar (`uchar`), for dimming a
// preview.
int CVipsShims_linear1(VipsImage *in, VipsImage **out, double a, double b);

// vips_draw_rect on `image` in place (a memory image): an outline one pixel wide, or filled.
int CVipsShims_draw_rect(VipsImage *image, const double *ink, int n, int left, int top, int width,
                         int height, int fill);

// vips_text: `text` rendered as a one-band mask, wrapped to `width` pixels, in `font` at `dpi`.
int CVipsShims_text(VipsImage **out, const char *text, const char *font, int width, int dpi);

// vips_bandjoin of three copies of a one-band image: grey made RGB.
int CVipsShims_bandjoin_three(VipsImage *in, VipsImage **out);

#endif
