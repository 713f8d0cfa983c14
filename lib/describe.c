/* Public entry points describing the format: dcfg_schema_json(), dcfg_explain(). */
#include "config_impl.h"

static dcfg_status finish(char **out, size_t *len_out, dcfg__buf *b, const dcfg_allocator *al, dcfg_status rc)
{
    if (rc == DCFG_OK || rc == DCFG_EINVALID) {
        char *s = b->oom ? NULL : dcfg__user_strndup(al, b->p ? b->p : "", b->len);
        if (!s)
            rc = DCFG_ENOMEM;
        else if (len_out)
            *len_out = b->len;
        *out = s;
    }
    dcfg__buf_free(b);
    return rc;
}

dcfg_status dcfg_schema_json(char **out, size_t *len_out, dcfg_schema_draft draft, const dcfg_allocator *al)
{
    if (!out || (draft != DCFG_SCHEMA_DRAFT_2020_12 && draft != DCFG_SCHEMA_DRAFT_07))
        return DCFG_EUSAGE;
    *out = NULL;
    if (!al)
        al = &dcfg__default_allocator;
    dcfg__arena a;
    dcfg__arena_init(&a, al);
    dcfg__buf b;
    dcfg__buf_init(&b, al);
    dcfg_status rc = finish(out, len_out, &b, al, dcfg__schema_json(&b, &a, draft == DCFG_SCHEMA_DRAFT_07));
    dcfg__arena_free(&a);
    return rc;
}

dcfg_status dcfg_explain(char **out, const char *path, const dcfg_allocator *al)
{
    if (!out || !path)
        return DCFG_EUSAGE;
    *out = NULL;
    if (!al)
        al = &dcfg__default_allocator;
    dcfg__arena a;
    dcfg__arena_init(&a, al);
    dcfg__buf b;
    dcfg__buf_init(&b, al);
    dcfg_status rc = finish(out, NULL, &b, al, dcfg__explain(&b, &a, path));
    dcfg__arena_free(&a);
    return rc;
}
