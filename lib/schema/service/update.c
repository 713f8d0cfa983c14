/* The update class of a value by its path, from the tables' update column.
 * A nested field without a class takes the class of the field holding its
 * object, so only the root table and the replica-group table declare one. */
#include <string.h>
#include "schema/service/areas.h"

static const dcfg__doc_object *const all_docs[] = { dcfg__root_docs, dcfg__replicas_docs, dcfg__resources_docs,
                                                    dcfg__traffic_docs, dcfg__storage_docs, dcfg__profile_docs };

static const dcfg__field *field_in(const dcfg__schema *s, const char *key, size_t len)
{
    for (const dcfg__field *f = s->fields; f->key; f++)
        if (strlen(f->key) == len && !memcmp(f->key, key, len))
            return f;
    return NULL;
}

/* Class declared for `key` by an object documented at `prefix` ("groups[]");
 * a doc path may carry a variant note ("volumes[] (network)"). */
static dcfg_update_class declared_at(const char *prefix, size_t plen, const char *key, size_t klen)
{
    for (size_t a = 0; a < sizeof all_docs / sizeof *all_docs; a++) {
        for (const dcfg__doc_object *d = all_docs[a]; d->path; d++) {
            const char *sp = strchr(d->path, ' ');
            size_t dlen = sp ? (size_t)(sp - d->path) : strlen(d->path);
            const dcfg__field *f;
            if (dlen == plen && !memcmp(d->path, prefix, plen) && (f = field_in(d->schema, key, klen)) &&
                DCFG__FIELD_UPDATE(f))
                return DCFG__FIELD_UPDATE(f);
        }
    }
    return DCFG_UPDATE_NONE;
}

dcfg_update_class dcfg__update_class_of(const char *path)
{
    char norm[256];
    size_t n = 0;
    /* "groups[1].router" -> "groups[].router", the spelling of the doc tables */
    for (const char *p = path; *p && n < sizeof norm - 1; p++) {
        norm[n++] = *p;
        if (*p == '[') {
            while (p[1] && p[1] != ']')
                p++;
        }
    }
    norm[n] = '\0';
    size_t seg = strcspn(norm, ".[");
    const dcfg__field *root = field_in(&dcfg__service_schema, norm, seg);
    if (!root || !DCFG__FIELD_UPDATE(root))
        return DCFG_UPDATE_RESTART;
    dcfg_update_class cls = DCFG__FIELD_UPDATE(root);
    for (size_t i = seg; i < n; i++) {
        if (norm[i] != '.')
            continue;
        size_t klen = strcspn(norm + i + 1, ".[");
        dcfg_update_class d = declared_at(norm, i, norm + i + 1, klen);
        if (d)
            cls = d;
    }
    return cls;
}
