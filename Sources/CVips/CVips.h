// Umbrella header for libvips (and the GLib calls it exposes) as Debian's libvips-dev installs it.
#include <vips/vips.h>
