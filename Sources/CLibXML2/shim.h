#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so encoding.h would pull in the system's ICU headers,
   which clash with the copy inside Foundation. ferry never touches the encoding handler
   structures that those headers describe (only pointers to them), so leave them out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#include <libxml/dict.h>
