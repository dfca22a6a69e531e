#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include "CFlateLevel.h"

/// zlib's `Z_DEFAULT_COMPRESSION` and `Z_VERSION_ERROR` (zlib.h), spelled out so that this
/// file needs no zlib headers.
enum { flate_default_compression = -1, flate_version_error = -6 };

static _Thread_local int flate_default_level = -1;

int flowreport_flate_set_default_level(int level) {
    int previous = flate_default_level;
    flate_default_level = (level >= 0 && level <= 9) ? level : -1;
    return previous;
}

typedef int (*deflate_init_function)(void *stream, int level, const char *version, int stream_size);

int deflateInit_(void *stream, int level, const char *version, int stream_size);

/// zlib's own `deflateInit_`: looked up in the loaded libz itself (not with `RTLD_NEXT`,
/// which finds nothing when this object was loaded after libz, as in a test bundle).
static deflate_init_function zlib_deflate_init(void) {
    static deflate_init_function function = NULL;
    deflate_init_function found = __atomic_load_n(&function, __ATOMIC_ACQUIRE);
    if (found != NULL) return found;
    void *library = dlopen("libz.so.1", RTLD_LAZY | RTLD_NOLOAD);
    if (library == NULL) library = dlopen("libz.so.1", RTLD_LAZY);
    if (library != NULL) found = (deflate_init_function)dlsym(library, "deflateInit_");
    if (found == NULL || found == &deflateInit_) {
        found = (deflate_init_function)dlsym(RTLD_NEXT, "deflateInit_");
    }
    if (found != NULL) __atomic_store_n(&function, found, __ATOMIC_RELEASE);
    return found;
}

/// zlib's `deflateInit(stream, level)` (a macro for this function), with the calling thread's
/// level in place of `Z_DEFAULT_COMPRESSION`.
int deflateInit_(void *stream, int level, const char *version, int stream_size) {
    deflate_init_function zlib = zlib_deflate_init();
    if (zlib == NULL) return flate_version_error;
    if (level == flate_default_compression && flate_default_level >= 0) level = flate_default_level;
    return zlib(stream, level, version, stream_size);
}
