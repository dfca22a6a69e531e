#ifndef CFLATELEVEL_H
#define CFLATELEVEL_H

/// The deflate level Cairo's PDF streams are written with, chosen per thread.
///
/// Cairo deflates every PDF content stream and embedded font at zlib's default level (6,
/// `Z_DEFAULT_COMPRESSION` passed to `deflateInit_`) and offers no setting for it. This target
/// defines `deflateInit_` itself; the executable that links it exports the definition, so
/// Cairo's calls (resolved through the dynamic linker's global scope) arrive here first. A call
/// asking for the default level on a thread that has set a level with
/// `flowreport_flate_set_default_level` gets that level instead; every other call (other levels,
/// other threads, other libraries' explicit levels; libpng uses `deflateInit2_` and is never
/// seen here) goes to zlib unchanged.

/// Sets the level (0…9) that replaces zlib's default level in `deflateInit_` calls made on the
/// calling thread from now on, or, with a value outside 0…9, restores zlib's default. Returns
/// the previous setting (-1 when none was set).
int flowreport_flate_set_default_level(int level);

#endif
