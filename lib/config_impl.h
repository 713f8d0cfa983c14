/* The objects behind the public entry points (config.c, accessors.c,
 * builder.c). They call every stage; no stage includes this header.
 * Nothing here is exported. */
#ifndef DCFG_CONFIG_IMPL_H
#define DCFG_CONFIG_IMPL_H

#include "write/write.h"

struct dcfg_config {
    dcfg_allocator al;
    dcfg__arena arena;   /* owns root and all its strings */
    dcfg__node *root;    /* normalized tree, dstack view layout; NULL while a built config does not validate */
    struct dcfg__builder *builder; /* set by the first setter (builder.c); lives in `arena` */
};

/* ---- builder state (builder.c) ------------------------------------------ */
struct dcfg__builder {
    dcfg__node *input;   /* what has been set, as an input tree (in cfg->arena); cfg->root is
                            its normalized tree, or NULL while it does not validate */
};

#endif
