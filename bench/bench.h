/* The benchmark's parts: generated documents (gen.c) and the operations it times (ops.c). */
#ifndef DCFG_BENCH_H
#define DCFG_BENCH_H

#include <stddef.h>
#include <dstackcfg/dstackcfg.h>

/* Shapes of generated documents, NULL-terminated. */
extern const char *const bench_shapes[];
/* A valid configuration of about `target` bytes of the given shape (malloc'd). */
char *bench_generate(const char *shape, size_t target, size_t *len_out);

/* One document and what the operations need of it, prepared once. */
typedef struct bench_doc {
    char *name;
    char *yaml;          /* the file */
    size_t yaml_len;
    char *json;          /* the library's dstack-view JSON of it (compact) */
    size_t json_len;
    void *jv;            /* json_t of `json`, for the json_dumps floor */
    void *fyd;           /* fy_document of `yaml`, for the libfyaml emit floor */
    dcfg_config *cfg;    /* parsed once, for the emit operations */
    dcfg_config *tmp;    /* what a load operation made, for the free operation */
} bench_doc;

typedef struct bench_op {
    const char *name;
    const char *floor;   /* the floor its ratio is taken against, or NULL */
    int library;         /* 1: an operation of the library; 0: a floor */
    /* runs once on one document; returns 0, or -1 when the document failed */
    int (*run)(bench_doc *d, const dcfg_allocator *al);
    const char *what;
} bench_op;

extern const bench_op bench_ops[];
extern const size_t bench_nops;
const bench_op *bench_op_find(const char *name);

/* Prepares d->json, d->jv, d->fyd and d->cfg; -1 when the library rejects the document. */
int bench_prepare(bench_doc *d, const dcfg_allocator *al);
void bench_release(bench_doc *d);

#endif
