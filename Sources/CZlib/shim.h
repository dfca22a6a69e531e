#include <zlib.h>

/// deflateInit2 is a macro (it passes ZLIB_VERSION and sizeof(z_stream)); Swift cannot call macros.
/// A zlib stream (RFC 1950 wrapper, 32 KiB window) at `level` with the default strategy.
static inline int flowreport_deflate_init(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY);
}
