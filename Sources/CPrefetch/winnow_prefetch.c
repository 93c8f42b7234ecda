// The prefetch hint is a static inline function in include/winnow_prefetch.h; SwiftPM needs one source file.
#include "winnow_prefetch.h"
