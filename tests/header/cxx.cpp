// The public header must compile as C++ with -Wall -Wextra -Werror -pedantic.
#include <dstackcfg/dstackcfg.h>

int main()
{
    dcfg_parse_options opts = DCFG_PARSE_OPTIONS_INIT;
    return opts.version == DCFG_PARSE_OPTIONS_VERSION ? 0 : 1;
}
