/* No built-ins: what tools/gen_defaults.c links, as it computes them. */
#include "schema/schema.h"

const dcfg__builtin *dcfg__builtin_for(const dcfg__schema *s)
{
    (void)s;
    return NULL;
}
