/* The public header must compile as strict C89 and C99 (and C++, see cxx.cpp). */
#include <dstackcfg/dstackcfg.h>

int main(void)
{
    dcfg_parse_options opts = DCFG_PARSE_OPTIONS_INIT;
    return opts.version == DCFG_PARSE_OPTIONS_VERSION && DCFG_VERSION_AT_LEAST(0, 0, 1) ? 0 : 1;
}
