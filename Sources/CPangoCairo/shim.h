// cairo draws (to PDF, PNG and, later, the framebuffer) and pango lays out text on it. Link flags come from pkg-config.
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
