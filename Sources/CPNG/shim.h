#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/// libpng reports errors by calling an error function that must not return: by default it
/// longjmps to a setjmp in the caller, which Swift cannot express (and a longjmp across Swift
/// frames is undefined). So the whole write, setjmp included, lives in this C function; the
/// Swift side only fills rows through `row`, which always returns before libpng runs again,
/// so a longjmp never crosses a Swift frame.

/// The PNG file, written by libpng into memory; `bytes` is malloc'ed (free it with `free`).
typedef struct {
    unsigned char *bytes;
    size_t count;
    size_t capacity;
    /// libpng's message when the write failed.
    char message[160];
} flowreport_png_output;

/// Fills `row` with the bytes of row `y` (3 or 4 per pixel) and returns 0, or returns 1 and
/// leaves the buffer as it is when row `y` (≥ 1) equals row `y − 1`: the buffer still holds
/// that row.
typedef int (*flowreport_png_row_function)(void *context, unsigned int y, unsigned char *row);

static void flowreport_png_write_data(png_structp png, png_bytep data, size_t length) {
    flowreport_png_output *out = (flowreport_png_output *)png_get_io_ptr(png);
    if (length > out->capacity - out->count) {
        size_t capacity = out->capacity > 0 ? out->capacity : 1 << 16;
        while (length > capacity - out->count) {
            if (capacity > (size_t)-1 / 2) png_error(png, "the PNG does not fit in memory");
            capacity *= 2;
        }
        unsigned char *grown = (unsigned char *)realloc(out->bytes, capacity);
        if (grown == NULL) png_error(png, "out of memory for the PNG");
        out->bytes = grown;
        out->capacity = capacity;
    }
    memcpy(out->bytes + out->count, data, length);
    out->count += length;
}

static void flowreport_png_flush(png_structp png) { (void)png; }

static void flowreport_png_error(png_structp png, png_const_charp message) {
    flowreport_png_output *out = (flowreport_png_output *)png_get_error_ptr(png);
    strncpy(out->message, message, sizeof out->message - 1);
    out->message[sizeof out->message - 1] = 0;
    png_longjmp(png, 1);
}

static void flowreport_png_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

/// Writes an 8-bit RGB (`has_alpha` = 0) or RGBA PNG of `width` × `height` pixels into
/// `out`, rows from `row` (through `row_buffer`, at least width × 4 bytes), deflated at
/// `level`, with a `pHYs` chunk of `pixels_per_metre` on both axes unless it is 0. Row
/// filters are None and Up only, chosen here rather than by libpng's trial of both on every
/// row: Up for a row equal to the row above (it filters to zeros and deflates to almost
/// nothing), None otherwise. No time stamp or text chunk is written, so the same pixels give
/// the same bytes. Returns 0 on success, -1 on failure (`out->message` then says why;
/// `out->bytes` may hold a partial file to free).
static inline int flowreport_png_write(unsigned int width, unsigned int height, int has_alpha,
                                       unsigned int pixels_per_metre, int level,
                                       flowreport_png_row_function row, void *context,
                                       unsigned char *row_buffer, flowreport_png_output *out) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, out, flowreport_png_error,
                                              flowreport_png_warning);
    if (png == NULL) {
        strcpy(out->message, "png_create_write_struct failed");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        strcpy(out->message, "png_create_info_struct failed");
        return -1;
    }
    // `png` and `info` are not changed after this point, so they keep their values after a
    // longjmp back here.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, out, flowreport_png_write_data, flowreport_png_flush);
    png_set_IHDR(png, info, width, height, 8, has_alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (pixels_per_metre > 0) {
        png_set_pHYs(png, info, pixels_per_metre, pixels_per_metre, PNG_RESOLUTION_METER);
    }
    // Both filters while the first row is written: libpng sets up its row buffers then, and
    // keeps the previous row (which Up needs) only if Up is allowed at that point. From the
    // second row on, one filter per row (libpng allows changing the filter between rows).
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE | PNG_FILTER_UP);
    png_set_compression_level(png, level);
    png_write_info(png, info);
    for (unsigned int y = 0; y < height; y++) {
        int same = row(context, y, row_buffer);
        if (y > 0) png_set_filter(png, PNG_FILTER_TYPE_BASE, same ? PNG_FILTER_UP : PNG_FILTER_NONE);
        png_write_row(png, row_buffer);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}
