/* Writes the built-ins (dcfg__builtin_for, schema/schema.h): for every object
 * schema, the node each field's default gives and its output key, computed here by
 * the code that would otherwise parse the default's text on every load, and
 * written out as constant nodes. Nodes are immutable, so every configuration
 * can point at the same ones; constant data is no shared mutable state.
 * Run at build time: gen-defaults OUTPUT.c */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema/schema.h"
#include "write/write.h"

#define MAX_SCHEMAS 64
#define MAX_NODES 4096

typedef struct gen {
    FILE *out;
    const dcfg__node *seen[MAX_NODES]; /* emitted nodes; the index is the name */
    size_t nseen;
} gen;

static void die(const char *what, const char *name, const char *key)
{
    fprintf(stderr, "gen-defaults: %s: %s.%s\n", what, name, key ? key : "");
    exit(1);
}

static size_t seen_index(const gen *g, const dcfg__node *n)
{
    for (size_t i = 0; i < g->nseen; i++)
        if (g->seen[i] == n)
            return i;
    return (size_t)-1;
}

static void put_c_string(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        int plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    strchr(" .,:;_-+/=*#()[]{}<>@!$%&^|~'", ch);
        if (plain && ch)
            fputc(ch, out);
        else
            fprintf(out, "\\%03o", ch); /* also '?', so no trigraph forms */
    }
    fputc('"', out);
}

static void put_value(FILE *out, const dcfg__node *n)
{
    switch ((dcfg__ntype)n->type) {
    case DCFG__BOOL:
        fprintf(out, ".v = { .b = %d }", n->v.b);
        break;
    case DCFG__FLOAT:
        if (isnan(n->v.f))
            fputs(".v = { .f = NAN }", out);
        else if (isinf(n->v.f))
            fprintf(out, ".v = { .f = %sINFINITY }", n->v.f < 0 ? "-" : "");
        else
            fprintf(out, ".v = { .f = %a }", n->v.f); /* exact */
        break;
    default:
        if (n->v.i == LLONG_MIN)
            fputs(".v = { .i = -9223372036854775807LL - 1 }", out);
        else
            fprintf(out, ".v = { .i = %lldLL }", n->v.i);
        break;
    }
}

/* Emits n after its children; returns its index. */
static size_t emit_node(gen *g, const dcfg__node *n)
{
    size_t at = seen_index(g, n);
    if (at != (size_t)-1)
        return at;
    size_t nk = n->type == DCFG__MAP ? 2 * n->n : n->type == DCFG__SEQ ? n->n : 0;
    size_t *kids = nk ? malloc(nk * sizeof *kids) : NULL;
    if (nk && !kids)
        die("out of memory", "", NULL);
    for (size_t i = 0; i < nk; i++)
        kids[i] = emit_node(g, n->kids[i]);
    if (g->nseen == MAX_NODES)
        die("too many nodes", "", NULL);
    at = g->nseen;
    g->seen[g->nseen++] = n;
    if (nk) {
        fprintf(g->out, "static dcfg__node *const k%zu[] = {", at);
        for (size_t i = 0; i < nk; i++)
            fprintf(g->out, "%s(dcfg__node *)&n%zu", i ? ", " : " ", kids[i]);
        fputs(" };\n", g->out);
    }
    free(kids);
    fprintf(g->out, "static const dcfg__node n%zu = { .type = %u, .flags = %u, .line = %u, .col = %u, ", at,
            (unsigned)n->type, (unsigned)n->flags, n->line, n->col);
    if (nk)
        fprintf(g->out, ".kids = (dcfg__node **)k%zu", at);
    else if (n->type == DCFG__SEQ || n->type == DCFG__MAP)
        fputs(".kids = NULL", g->out);
    else
        put_value(g->out, n);
    fputs(", .str = ", g->out);
    if (n->str)
        put_c_string(g->out, n->str, n->len);
    else
        fputs("NULL", g->out);
    fprintf(g->out, ", .len = %zu, .n = %zu };\n", n->len, n->n);
    return at;
}

/* The table's hash of a schema name (FNV-1a); engine.c's lookup uses the same. */
static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The schema's keys and aliases by dcfg__key_hash: slots<i>[] over the
 * smallest power of two at least twice their count; its mask goes to
 * mask<i>. A string that names two fields would make the match ambiguous. */
static void put_key_slots(FILE *out, const dcfg__schema *s, size_t nf, size_t i)
{
    size_t names = 0;
    for (size_t k = 0; k < nf; k++)
        names += 1 + (s->fields[k].alias != NULL);
    size_t size = 1;
    while (size < 2 * names)
        size *= 2;
    int *slot = malloc(size * sizeof *slot); /* 2 * field + alias, or -1 */
    if (!slot || nf > INT16_MAX)
        die("out of memory", s->name, NULL);
    for (size_t h = 0; h < size; h++)
        slot[h] = -1;
    for (size_t k = 0; k < nf; k++)
        for (int alias = 0; alias < 2; alias++) {
            const char *name = alias ? s->fields[k].alias : s->fields[k].key;
            if (!name)
                continue;
            size_t len = strlen(name);
            if (!len || len > UINT8_MAX)
                die("a key the table cannot hold", s->name, name);
            for (size_t j = 0; j < nf; j++)
                for (int a2 = 0; a2 < 2; a2++) {
                    const char *other = a2 ? s->fields[j].alias : s->fields[j].key;
                    if (other && (j != k || a2 != alias) && !strcmp(other, name))
                        die("a key that names two fields", s->name, name);
                }
            size_t h = dcfg__key_hash(name, len) & (size - 1);
            while (slot[h] >= 0)
                h = (h + 1) & (size - 1);
            slot[h] = (int)(2 * k) + alias;
        }
    fprintf(out, "static const dcfg__key_slot slots%zu[%zu] = {", i, size);
    for (size_t h = 0; h < size; h++) {
        if (slot[h] < 0) {
            fprintf(out, "%s{ -1, 0, 0 }", h ? ", " : " ");
            continue;
        }
        const dcfg__field *f = &s->fields[slot[h] / 2];
        const char *name = slot[h] % 2 ? f->alias : f->key;
        fprintf(out, "%s{ %d, %d, %zu }", h ? ", " : " ", slot[h] / 2, slot[h] % 2, strlen(name));
    }
    fprintf(out, " };\n#define mask%zu %zuu\n", i, size - 1);
    free(slot);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: gen-defaults OUTPUT.c\n", stderr);
        return 2;
    }
    const dcfg__schema *all[MAX_SCHEMAS];
    size_t ns = dcfg__object_schemas(all, MAX_SCHEMAS);
    for (size_t i = 0; i < ns; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(all[i]->name, all[j]->name))
                die("two schemas of one name", all[i]->name, NULL);

    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg_diags *diags = dcfg__diags_new(&dcfg__default_allocator, "");
    dcfg__vctx c = { .arena = &a, .diags = diags };
    dcfg__buf_init(&c.path, &dcfg__default_allocator);
    if (!diags)
        die("out of memory", "", NULL);

    /* every default first, as a validation computes them, then the output */
    dcfg__node **outs[MAX_SCHEMAS];
    for (size_t i = 0; i < ns; i++) {
        size_t nf = 0;
        while (all[i]->fields[nf].key)
            nf++;
        outs[i] = dcfg__arena_alloc(&a, (nf + 1) * sizeof *outs[i]);
        if (!outs[i])
            die("out of memory", "", NULL);
        for (size_t k = 0; k < nf; k++) {
            const dcfg__field *f = &all[i]->fields[k];
            outs[i][k] = NULL;
            if (f->flags & DCFG__F_REQUIRED)
                continue;
            if (dcfg__field_default(&c, f, &outs[i][k]) || dcfg_diags_count(diags))
                die("a default that does not parse", all[i]->name, f->key);
            outs[i][k]->flags |= DCFG__NF_DEFAULTED; /* as dcfg__parse_object marks it */
        }
    }
    if (a.oom || c.path.oom)
        die("out of memory", "", NULL);

    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    static gen g;
    g.out = out;
    fputs("/* Generated by tools/gen_defaults.c from the field tables at build time. */\n"
          "#include <math.h>\n#include <stdint.h>\n#include <string.h>\n#include \"schema/schema.h\"\n\n",
          out);
    for (size_t i = 0; i < ns; i++) {
        size_t nf = 0;
        while (all[i]->fields[nf].key)
            nf++;
        size_t *ids = malloc((nf + 1) * sizeof *ids);
        if (!ids)
            die("out of memory", "", NULL);
        for (size_t k = 0; k < nf; k++)
            ids[k] = outs[i][k] ? emit_node(&g, outs[i][k]) : (size_t)-1;
        fprintf(out, "static const dcfg__node *const d%zu[] = {", i);
        for (size_t k = 0; k < nf; k++) {
            if (ids[k] == (size_t)-1)
                fprintf(out, "%sNULL", k ? ", " : " ");
            else
                fprintf(out, "%s&n%zu", k ? ", " : " ", ids[k]);
        }
        fprintf(out, "%s};\n", nf ? " " : " NULL ");
        /* the output's keys, as dcfg__parse_object makes them */
        for (size_t k = 0; k < nf; k++) {
            const dcfg__field *f = &all[i]->fields[k];
            fprintf(out, "static const dcfg__node key%zu_%zu = { .type = %u, .str = ", i, k, (unsigned)DCFG__STR);
            put_c_string(out, f->key, strlen(f->key));
            fprintf(out, ", .len = %zu };\n", strlen(f->key));
        }
        fprintf(out, "static const dcfg__node *const keys%zu[] = {", i);
        for (size_t k = 0; k < nf; k++)
            fprintf(out, "%s&key%zu_%zu", k ? ", " : " ", i, k);
        fprintf(out, "%s};\n", nf ? " " : " NULL ");
        put_key_slots(out, all[i], nf, i);
        free(ids);
    }

    /* open addressing by name hash: the smallest power of two at least twice the count */
    size_t size = 1;
    while (size < 2 * ns)
        size *= 2;
    size_t *slot = calloc(size, sizeof *slot);
    if (!slot)
        die("out of memory", "", NULL);
    for (size_t i = 0; i < ns; i++) {
        size_t h = name_hash(all[i]->name) & (size - 1);
        while (slot[h])
            h = (h + 1) & (size - 1);
        slot[h] = i + 1;
    }
    fprintf(out, "\nstatic const struct { const char *name; dcfg__builtin b; } table[%zu] = {\n", size);
    for (size_t h = 0; h < size; h++) {
        if (!slot[h]) {
            fputs("    { NULL, { NULL, NULL, 0, NULL, 0 } },\n", out);
            continue;
        }
        fputs("    { ", out);
        put_c_string(out, all[slot[h] - 1]->name, strlen(all[slot[h] - 1]->name));
        size_t k = slot[h] - 1, nf = 0;
        while (all[k]->fields[nf].key)
            nf++;
        fprintf(out, ", { d%zu, keys%zu, %zu, slots%zu, mask%zu } },\n", k, k, nf, k, k);
    }
    fprintf(out, "};\n\n"
                 "const dcfg__builtin *dcfg__builtin_for(const dcfg__schema *s)\n"
                 "{\n"
                 "    uint32_t h = 2166136261u;\n"
                 "    for (const char *p = s->name; *p; p++)\n"
                 "        h = (h ^ (unsigned char)*p) * 16777619u;\n"
                 "    for (size_t i = h & %zuu; table[i].name; i = (i + 1) & %zuu)\n"
                 "        if (!strcmp(table[i].name, s->name))\n"
                 "            return &table[i].b;\n"
                 "    return NULL;\n"
                 "}\n",
            size - 1, size - 1);
    free(slot);
    int bad = ferror(out);
    bad |= fclose(out) != 0;
    dcfg__buf_free(&c.path);
    dcfg_diags_free(diags);
    dcfg__arena_free(&a);
    if (bad) {
        fprintf(stderr, "gen-defaults: cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
