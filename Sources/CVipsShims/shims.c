#include "CVipsShims.h"

static void CVipsShims_stop_when_late(VipsImage *image, VipsProgress *progress, gpointer deadline) {
    if (g_get_monotonic_time() < *(gint64 *) deadline) return;
    // A loader decoding into its own buffer reports on the image it hands out, while its sink
    // checks the buffer's flag (`progress->im`): set both.
    vips_image_set_kill(image, TRUE);
    if (progress && progress->im) vips_image_set_kill(progress->im, TRUE);
}

static void CVipsShims_free_deadline(gpointer deadline, GClosure *closure) {
    g_free(deadline);
}

void CVipsShims_limit_time(VipsImage *image, double seconds) {
    gint64 *deadline = g_new(gint64, 1);
    *deadline = g_get_monotonic_time() + (gint64) (seconds * G_USEC_PER_SEC);
    vips_image_set_progress(image, TRUE);
    // Each handler owns its deadline and frees it when it goes (with the image). Data kept under
    // one key on the image would be replaced, and so freed, by a second call on the same image
    // (prep arms the loaded and the fitted image, one object when nothing is resized) while the
    // first handler still reads it.
    g_signal_connect_data(image, "eval", G_CALLBACK(CVipsShims_stop_when_late), deadline, CVipsShims_free_deadline, 0);
}

VipsImage *CVipsShims_image_new_from_buffer(const void *buf, size_t len, const char *options) {
    return vips_image_new_from_buffer(buf, len, options, NULL);
}

int CVipsShims_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height) {
    return vips_extract_area(in, out, left, top, width, height, NULL);
}

int CVipsShims_resize(VipsImage *in, VipsImage **out, double hscale, double vscale, VipsKernel kernel) {
    return vips_resize(in, out, hscale, "vscale", vscale, "kernel", kernel, NULL);
}

int CVipsShims_embed(VipsImage *in, VipsImage **out, int x, int y, int width, int height,
                     VipsExtend extend) {
    return vips_embed(in, out, x, y, width, height, "extend", extend, NULL);
}

int CVipsShims_embed_background(VipsImage *in, VipsImage **out, int x, int y, int width, int height,
                                const double *background, int n) {
    // The array is copied by the property setter, so it can be released at once.
    VipsArrayDouble *array = vips_array_double_new(background, n);
    int result = vips_embed(in, out, x, y, width, height, "extend", VIPS_EXTEND_BACKGROUND,
                            "background", array, NULL);
    vips_area_unref(VIPS_AREA(array));
    return result;
}

int CVipsShims_insert(VipsImage *main, VipsImage *sub, VipsImage **out, int x, int y) {
    return vips_insert(main, sub, out, x, y, NULL);
}

int CVipsShims_gaussblur(VipsImage *in, VipsImage **out, double sigma) {
    return vips_gaussblur(in, out, sigma, NULL);
}

int CVipsShims_smartcrop(VipsImage *in, VipsImage **out, int width, int height,
                         VipsInteresting interesting) {
    return vips_smartcrop(in, out, width, height, "interesting", interesting, NULL);
}

int CVipsShims_flatten(VipsImage *in, VipsImage **out, const double *background, int n,
                       double max_alpha) {
    // The array is copied by vips_flatten's property setter, so it can be freed at once.
    VipsArrayDouble *array = vips_array_double_new(background, n);
    int result = vips_flatten(in, out, "background", array, "max_alpha", max_alpha, NULL);
    vips_area_unref(VIPS_AREA(array));
    return result;
}

int CVipsShims_icc_transform(VipsImage *in, VipsImage **out, const char *output_profile,
                             const char *input_profile, VipsIntent intent) {
    return vips_icc_transform(in, out, output_profile, "embedded", TRUE, "input_profile",
                              input_profile, "intent", intent, "depth", 8, NULL);
}

int CVipsShims_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space) {
    return vips_colourspace(in, out, space, NULL);
}

int CVipsShims_cast(VipsImage *in, VipsImage **out, VipsBandFormat format) {
    return vips_cast(in, out, format, NULL);
}

int CVipsShims_extract_band(VipsImage *in, VipsImage **out, int band, int n) {
    return vips_extract_band(in, out, band, "n", n, NULL);
}

int CVipsShims_linear_uchar(VipsImage *in, VipsImage **out, double a, double b) {
    return vips_linear1(in, out, a, b, "uchar", TRUE, NULL);
}

int CVipsShims_bandjoin2(VipsImage *in1, VipsImage *in2, VipsImage **out) {
    return vips_bandjoin2(in1, in2, out, NULL);
}

int CVipsShims_autorot(VipsImage *in, VipsImage **out) {
    return vips_autorot(in, out, NULL);
}

int CVipsShims_jpegsave_buffer(VipsImage *in, void **buf, size_t *len, int quality,
                               VipsForeignSubsample subsample) {
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, "strip", TRUE, "subsample_mode",
                                subsample, NULL);
}

int CVipsShims_pngsave_buffer(VipsImage *in, void **buf, size_t *len, int compression) {
    return vips_pngsave_buffer(in, buf, len, "strip", TRUE, "compression", compression, NULL);
}

int CVipsShims_webpsave_buffer(VipsImage *in, void **buf, size_t *len, int quality) {
    return vips_webpsave_buffer(in, buf, len, "Q", quality, "strip", TRUE, NULL);
}

int CVipsShims_warm_up_codecs(void) {
    VipsImage *black = NULL;
    VipsImage *pixel = NULL;
    int status = 0;
    if (vips_black(&black, 16, 16, "bands", 3, NULL) || vips_cast(black, &pixel, VIPS_FORMAT_UCHAR, NULL)) {
        status = -1;
    }
    for (int codec = 0; status == 0 && codec < 3; codec++) {
        void *encoded = NULL;
        size_t length = 0;
        const char *reopen = codec == 0 ? "access=random,scale=0.5" : codec == 1 ? "access=random,shrink=2" : "access=random";
        int saved = codec == 0   ? CVipsShims_webpsave_buffer(pixel, &encoded, &length, 90)
                    : codec == 1 ? CVipsShims_jpegsave_buffer(pixel, &encoded, &length, 90, VIPS_FOREIGN_SUBSAMPLE_ON)
                                 : CVipsShims_pngsave_buffer(pixel, &encoded, &length, 6);
        VipsImage *decoded = saved ? NULL : vips_image_new_from_buffer(encoded, length, reopen, NULL);
        VipsImage *whole = decoded ? vips_image_copy_memory(decoded) : NULL;
        if (!whole) status = -1;
        if (whole) g_object_unref(whole);
        if (decoded) g_object_unref(decoded);
        g_free(encoded);
    }
    if (pixel) g_object_unref(pixel);
    if (black) g_object_unref(black);
    return status;
}

int CVipsShims_limit_malloc_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}

int CVipsShims_keep_freed_memory(int mmap_threshold, int trim_threshold) {
    return mallopt(M_MMAP_THRESHOLD, mmap_threshold) && mallopt(M_TRIM_THRESHOLD, trim_threshold);
}

VipsRegion *CVipsShims_region_whole(VipsImage *image) {
    VipsRegion *region = vips_region_new(image);
    VipsRect whole = {0, 0, image->Xsize, image->Ysize};
    if (vips_region_prepare(region, &whole)) {
        g_object_unref(region);
        return NULL;
    }
    return region;
}

const unsigned char *CVipsShims_region_pixels(VipsRegion *region) {
    return (const unsigned char *) VIPS_REGION_ADDR(region, region->valid.left, region->valid.top);
}

size_t CVipsShims_region_stride(VipsRegion *region) {
    return VIPS_REGION_LSKIP(region);
}

// vips_image_map visits the fixed header fields too; the new image already has those (its
// own size), so only the fields it lacks, the metadata, are copied.
static void *CVipsShims_copy_missing_field(VipsImage *from, const char *name, GValue *value, void *to) {
    if (vips_image_get_typeof((VipsImage *) to, name) == 0) vips_image_set((VipsImage *) to, name, value);
    return NULL;
}

VipsImage *CVipsShims_image_new_memory_like(VipsImage *like, int width, int height) {
    VipsImage *out = vips_image_new_memory();
    vips_image_init_fields(out, width, height, like->Bands, like->BandFmt, like->Coding, like->Type,
                           like->Xres, like->Yres);
    vips_image_map(like, CVipsShims_copy_missing_field, out);
    if (vips_image_write_prepare(out)) {
        g_object_unref(out);
        return NULL;
    }
    return out;
}

static void CVipsShims_free_pixels(VipsImage *image, void *pixels) {
    (void) image;
    free(pixels);
}

VipsImage *CVipsShims_image_adopting_pixels(VipsImage *like, void *pixels, size_t size, int width, int height) {
    VipsImage *out = vips_image_new_from_memory(pixels, size, width, height, like->Bands, like->BandFmt);
    if (out == NULL) return NULL;
    out->Type = like->Type;
    out->Coding = like->Coding;
    out->Xres = like->Xres;
    out->Yres = like->Yres;
    vips_image_map(like, CVipsShims_copy_missing_field, out);
    g_signal_connect(out, "postclose", G_CALLBACK(CVipsShims_free_pixels), pixels);
    return out;
}

unsigned char *CVipsShims_image_pixels(VipsImage *image) {
    return (unsigned char *) VIPS_IMAGE_ADDR(image, 0, 0);
}

size_t CVipsShims_image_stride(VipsImage *image) {
    return VIPS_IMAGE_SIZEOF_LINE(image);
}

int CVipsShims_linear1(VipsImage *in, VipsImage **out, double a, double b) {
    return vips_linear1(in, out, a, b, "uchar", TRUE, NULL);
}

int CVipsShims_draw_rect(VipsImage *image, const double *ink, int n, int left, int top, int width,
                         int height, int fill) {
    return vips_draw_rect(image, (double *) ink, n, left, top, width, height, "fill", fill, NULL);
}

int CVipsShims_text(VipsImage **out, const char *text, const char *font, int width, int dpi) {
    return vips_text(out, text, "font", font, "width", width, "dpi", dpi, NULL);
}

int CVipsShims_bandjoin_three(VipsImage *in, VipsImage **out) {
    VipsImage *copies[3] = {in, in, in};
    return vips_bandjoin(copies, out, 3, NULL);
}
