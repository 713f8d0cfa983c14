/* read: the front ends. Text in, a node tree with source positions out,
 * typed the way dstack's loader (PyYAML safe_load, or json) would type it;
 * syntax, encoding and limit problems become diagnostics. Calls core only.
 * Nothing here is exported. */
#ifndef DCFG_READ_H
#define DCFG_READ_H

#include "core/core.h"

/* ---- front ends --------------------------------------------------------- */
typedef struct dcfg__limits {
    size_t max_input_bytes;
    unsigned max_depth;
    size_t max_nodes;        /* after alias expansion */
    size_t max_string_bytes;
} dcfg__limits;

typedef struct dcfg__load {
    dcfg__arena *arena;      /* nodes and strings go here */
    dcfg_diags *diags;       /* syntax/encoding/limit errors, duplicate-key warnings */
    dcfg__limits limits;
    unsigned flags;          /* DCFG_PARSE_* */
} dcfg__load;

/* YAML (and, with json != 0, JSON through libfyaml's JSON mode, used to recover
 * positions). Returns DCFG_OK with *root set, or DCFG_ESYNTAX / DCFG_ELIMIT /
 * DCFG_ENOMEM with diagnostics recorded. */
dcfg_status dcfg__yaml_load(dcfg__node **root, const char *data, size_t len, dcfg__load *ld, int json);
/* JSON through jansson: fast, but nodes carry no positions. */
dcfg_status dcfg__json_load(dcfg__node **root, const char *data, size_t len, dcfg__load *ld);
/* How PyYAML's safe_load types a plain scalar (YAML 1.1): fills type/v/flags of n,
 * which already holds str/len. Returns 0, or -1 when PyYAML itself would fail to build it. */
int dcfg__yaml11_resolve(dcfg__node *n);

#endif
