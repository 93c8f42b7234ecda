// ICU behind stable names. ICU renames its C entry points per version (u_strFromUTF8 -> u_strFromUTF8_72),
// which Swift cannot follow through the macros; these static inline shims give each function one stable
// name. Only WinnowText imports this module, with @_implementationOnly, so no file sees both this ICU and
// Foundation's private copy.
#include <unicode/utypes.h>
#include <unicode/ustring.h>
#include <unicode/unorm2.h>
#include <unicode/ucnv.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>

static inline const char *winnow_u_errorName(UErrorCode code) { return u_errorName(code); }
