/* The resources area: cpu, memory, shm_size, gpu and disk.
 * Every object is a schema; the shorthand strings ("arm:8", "A100:80GB:2",
 * "100GB..") are split into parts that go through the same field kinds as
 * the mapping form, so both forms normalize identically. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "schema/service/areas.h"

/* Gigabytes, or a size with a unit. */
#define DCFG__J_MEMORY "{'anyOf':[{'type':'number'},{'type':'boolean'}," \
    "{'type':'string','pattern':'^ *[-+]?([0-9_]*\\.?[0-9_]+([eE][-+]?[0-9]+)?|[0-9_]+\\.|[Nn][Aa][Nn]|[Ii][Nn][Ff]([Ii][Nn][Ii][Tt][Yy])?) *([MmGgTt][Bb])? *$'}],'examples':[16,'512MB','16GB']}"

/* ---- helpers ----------------------------------------------------------------- */

static char ascii_lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

/* Case-insensitive (ASCII) equality of s[0..len) with the lower-case word w. */
static int lower_eq(const char *s, size_t len, const char *w)
{
    if (strlen(w) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (ascii_lower(s[i]) != w[i])
            return 0;
    return 1;
}

static int is_text(const dcfg__node *n) { return n->type == DCFG__STR && !(n->flags & DCFG__NF_NOT_TEXT); }

/* A scalar string node standing for part of `in` (same position). */
static dcfg__node *part_node(dcfg__vctx *c, const dcfg__node *in, const char *s, size_t len)
{
    dcfg__node *n = dcfg__mk_str(c->arena, s, len);
    if (n) {
        n->flags = DCFG__NF_QUOTED;
        n->line = in->line;
        n->col = in->col;
    }
    return n;
}

/* Decodes one UTF-8 code point at s[*i] (advancing *i); invalid bytes count as themselves. */
static unsigned next_cp(const char *s, size_t len, size_t *i)
{
    unsigned char b = (unsigned char)s[(*i)++];
    int extra = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : 0;
    unsigned cp = extra == 3 ? b & 0x07u : extra == 2 ? b & 0x0fu : extra == 1 ? b & 0x1fu : b;
    while (extra-- > 0 && *i < len && ((unsigned char)s[*i] & 0xc0) == 0x80)
        cp = (cp << 6) | ((unsigned char)s[(*i)++] & 0x3fu);
    return cp;
}

/* Python's str.isalpha() for one code point, for the scripts GPU names are
 * plausibly written in: Latin, Greek, Cyrillic, CJK, kana and Hangul. */
static int cp_alpha(unsigned cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return cp == 0xaa || cp == 0xb5 || cp == 0xba || (cp >= 0xc0 && cp <= 0x2af && cp != 0xd7 && cp != 0xf7) ||
           (cp >= 0x370 && cp <= 0x3ff && cp != 0x375 && cp != 0x37e && cp != 0x384 && cp != 0x385 &&
            cp != 0x387) ||
           (cp >= 0x400 && cp <= 0x52f && !(cp >= 0x482 && cp <= 0x489)) || (cp >= 0x3041 && cp <= 0x30ff) ||
           (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3);
}

static int any_alpha(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len)
        if (cp_alpha(next_cp(s, len, &i)))
            return 1;
    return 0;
}

static int first_alpha(const char *s, size_t len)
{
    size_t i = 0;
    return len && cp_alpha(next_cp(s, len, &i));
}

/* The text dstack's shorthand parsers see for a scalar: integers as decimal
 * text, booleans as Python spells them ("True"). NULL for other shapes. */
static const char *shorthand_text(dcfg__vctx *c, const dcfg__node *in, size_t *len)
{
    char tmp[32];
    if (is_text(in)) {
        *len = in->len;
        return in->str;
    }
    if (in->type == DCFG__BOOL) {
        *len = in->v.b ? 4 : 5;
        return in->v.b ? "True" : "False";
    }
    if (in->type != DCFG__INT)
        return NULL;
    if (in->flags & DCFG__NF_BIGINT) {
        *len = in->len;
        return in->str;
    }
    *len = (size_t)snprintf(tmp, sizeof tmp, "%lld", in->v.i);
    return dcfg__arena_strndup(c->arena, tmp, *len);
}

/* s without ' ' characters, NUL-terminated, in the arena. */
static char *strip_spaces(dcfg__vctx *c, const char *s, size_t len, size_t *out_len)
{
    char *t = dcfg__arena_alloc(c->arena, len + 1);
    if (!t)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ')
            t[n++] = s[i];
    t[n] = '\0';
    *out_len = n;
    return t;
}

/* Builds object `s` from parts found in a shorthand: each present part goes
 * through its field's kind, absent fields take their defaults. Errors stay at
 * the shorthand itself (the user did not write the field names). */
static int object_from_parts(dcfg__vctx *c, const dcfg__schema *s, dcfg__node *const *parts, dcfg__node **out)
{
    size_t nf = 0;
    while (s->fields[nf].key)
        nf++;
    dcfg__node *m = dcfg__mk_map(c->arena, nf);
    if (!m)
        return -1;
    int failed = 0;
    for (size_t i = 0; i < nf; i++) {
        const dcfg__field *f = &s->fields[i];
        dcfg__node *v = NULL;
        int rc = parts[i] ? f->kind->parse(c, parts[i], f, &v) : dcfg__field_default(c, f, &v);
        dcfg__node *k = dcfg__mk_lit(c->arena, f->key);
        if (rc || !k) {
            failed = 1;
            continue;
        }
        dcfg__map_put(m, k, v);
    }
    if (failed)
        return -1;
    *out = m;
    return 0;
}

/* ---- memory sizes (G5) and their ranges (G6) ------------------------------------ */

/* One size in gigabytes: a number, or text with an optional tb/gb/mb unit. */
static int parse_memory(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    double v;
    if (in->type == DCFG__INT || in->type == DCFG__FLOAT || in->type == DCFG__BOOL) {
        if (dcfg__want_float(c, in, &v))
            return -1;
    } else if (is_text(in)) {
        size_t len;
        char *t = strip_spaces(c, in->str, in->len, &len);
        if (!t)
            return -1;
        for (size_t i = 0; i < len; i++)
            t[i] = ascii_lower(t[i]);
        char unit = 'g';
        if (len >= 2 && t[len - 1] == 'b' && (t[len - 2] == 't' || t[len - 2] == 'g' || t[len - 2] == 'm')) {
            unit = t[len - 2];
            len -= 2;
        }
        if (dcfg__py_float(t, len, &v)) {
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                      "invalid memory size %s; expected a number of gigabytes or a size with a unit TB, GB or MB "
                      "(\"16GB\", \"512MB\")",
                      dcfg__show(c, in));
            return -1;
        }
        if (unit == 't')
            v *= 1024.0;
        else if (unit == 'm')
            v /= 1024.0;
    } else {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a memory size such as 16 or \"16GB\", got %s",
                  dcfg__describe(in));
        return -1;
    }
    *out = dcfg__mk_float(c->arena, v);
    return *out ? 0 : -1;
}
static const dcfg__kind k_memory = { "memory size", parse_memory,
    "gigabytes as a number, or a string with a unit: \"512MB\", \"16GB\", \"1TB\" (case-insensitive)",
    DCFG__J_MEMORY };

static const dcfg__field memory_bound = { "bound", &k_memory, DCFG__F_NULLABLE, NULL, NULL, NULL, NULL };
static const dcfg__field memory_range_fields[] = {
    { "min", &k_memory, DCFG__F_NULLABLE, NULL, NULL, "Lower bound in GB; null means unbounded.", NULL },
    { "max", &k_memory, DCFG__F_NULLABLE, NULL, NULL, "Upper bound in GB; null means unbounded.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema memory_range_schema = { "memory range", memory_range_fields, NULL };

static int parse_memory_range(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return dcfg__parse_range(c, in, &memory_bound, &memory_range_schema, out);
}
static const dcfg__kind k_memory_range = { "memory range", parse_memory_range,
    "memory size, \"MIN..MAX\" of sizes (either side may be empty: \"16GB..\") or {min, max}",
    "{'anyOf':[" DCFG__J_MEMORY ",{'type':'string','pattern':'^[-+_ 0-9.A-Za-z]*\\.\\.[-+_ 0-9.A-Za-z]*$'},{'$ref':'@memory_range'}],'examples':['16GB','16GB..','8GB..64GB',{'min':'16GB'}]}" };

/* ---- counts ---------------------------------------------------------------------- */

static const dcfg__field count_bound = { "bound", &dcfg__k_int, DCFG__F_NULLABLE, NULL, NULL, NULL, NULL };

/* `cpu: {min, max}`: the count range, reported at `cpu` itself (the user wrote
 * no `count`, and dstack places these problems under it). */
static int count_from_minmax(dcfg__vctx *c, const dcfg__node *in, dcfg__node **out)
{
    dcfg__node *b[2] = { NULL, NULL };
    int failed = 0;
    for (size_t i = 0; i < in->n; i++) {
        const dcfg__node *v = DCFG__VAL(in, i);
        int k = dcfg__node_is_str(DCFG__KEY(in, i), "max");
        if (v->type == DCFG__NULL)
            b[k] = dcfg__mk(c->arena, DCFG__NULL);
        else if (dcfg__k_int.parse(c, v, &count_bound, &b[k]))
            failed = 1;
        if (!failed && !b[k])
            return -1;
    }
    if (failed)
        return -1;
    for (int k = 0; k < 2; k++)
        if (!b[k] && !(b[k] = dcfg__mk(c->arena, DCFG__NULL)))
            return -1;
    return dcfg__range_finish(c, in, b[0], b[1], out);
}

/* ---- cpu ------------------------------------------------------------------------ */

static int parse_cpu_arch(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (!is_text(in)) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected \"x86\" or \"arm\", got %s", dcfg__describe(in));
        return -1;
    }
    const char *arch = lower_eq(in->str, in->len, "x86") ? "x86" : lower_eq(in->str, in->len, "arm") ? "arm" : NULL;
    if (!arch) {
        dcfg__err(c, in, DCFG_DIAG_UNSUPPORTED_VALUE, "unsupported CPU architecture %s; expected \"x86\" or \"arm\"",
                  dcfg__show(c, in));
        return -1;
    }
    *out = dcfg__mk_lit(c->arena, arch);
    return *out ? 0 : -1;
}
static const dcfg__kind k_cpu_arch = { "CPU architecture", parse_cpu_arch, "\"x86\" or \"arm\" (case-insensitive)",
    "{'type':'string','pattern':'^([Xx]86|[Aa][Rr][Mm])$','examples':['x86','arm']}" };

enum { CPU_ARCH, CPU_COUNT, CPU_NFIELDS };
static const dcfg__field cpu_fields[] = {
    [CPU_ARCH] = { "arch", &k_cpu_arch, DCFG__F_NULLABLE, NULL, NULL, "CPU architecture; null means any.", NULL },
    [CPU_COUNT] = { "count", &dcfg__k_int_range, 0, "2..", NULL, "Number of CPU cores.", NULL },
    [CPU_NFIELDS] = { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema cpu_schema = { "cpu", cpu_fields, NULL };

static int has_dots(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '.' && s[i + 1] == '.')
            return 1;
    return 0;
}

/* "8", "arm", "arm:8", "8:arm", "x86:2..": a count and/or an architecture. */
static int parse_cpu_text(dcfg__vctx *c, const dcfg__node *in, const char *s, size_t len, dcfg__node **out)
{
    dcfg__node *parts[CPU_NFIELDS] = { NULL, NULL };
    size_t n;
    char *t = strip_spaces(c, s, len, &n);
    if (!t)
        return -1;
    for (size_t i = 0;; i++) {
        size_t start = i;
        while (i < n && t[i] != ':')
            i++;
        const char *tok = t + start;
        size_t tlen = i - start;
        if (!tlen) {
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                      "invalid CPU spec %s: empty part; expected COUNT, ARCH or ARCH:COUNT (\"arm:8\")",
                      dcfg__show(c, in));
            return -1;
        }
        int is_count = dcfg__all_digits(tok, tlen) || has_dots(tok, tlen);
        int slot = is_count ? CPU_COUNT : CPU_ARCH;
        if (!is_count && !lower_eq(tok, tlen, "x86") && !lower_eq(tok, tlen, "arm")) {
            dcfg__node part = { .type = DCFG__STR, .str = tok, .len = tlen };
            if (first_alpha(tok, tlen))
                dcfg__err(c, in, DCFG_DIAG_UNSUPPORTED_VALUE,
                          "invalid CPU spec %s: unsupported architecture %s; expected \"x86\" or \"arm\"",
                          dcfg__show(c, in), dcfg__show(c, &part));
            else
                dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                          "invalid CPU spec %s: %s is neither a count (\"8\", \"2..8\") nor an architecture "
                          "(\"x86\", \"arm\")",
                          dcfg__show(c, in), dcfg__show(c, &part));
            return -1;
        }
        if (parts[slot]) {
            dcfg__err(c, in, DCFG_DIAG_CONFLICT, "invalid CPU spec %s: more than one %s", dcfg__show(c, in),
                      is_count ? "count" : "architecture");
            return -1;
        }
        if (!(parts[slot] = part_node(c, in, tok, tlen)))
            return -1;
        if (i >= n)
            break;
    }
    return object_from_parts(c, &cpu_schema, parts, out);
}

/* A non-empty mapping of only min/max keys is the count range. */
static int is_minmax_map(const dcfg__node *in)
{
    if (in->type != DCFG__MAP || in->n == 0)
        return 0;
    for (size_t i = 0; i < in->n; i++)
        if (!dcfg__node_is_str(DCFG__KEY(in, i), "min") && !dcfg__node_is_str(DCFG__KEY(in, i), "max"))
            return 0;
    return 1;
}

static int parse_cpu(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (is_minmax_map(in)) {
        dcfg__node *parts[CPU_NFIELDS] = { NULL, NULL };
        if (count_from_minmax(c, in, &parts[CPU_COUNT]))
            return -1;
        return object_from_parts(c, &cpu_schema, parts, out);
    }
    if (in->type == DCFG__MAP)
        return dcfg__parse_object(c, in, &cpu_schema, out);
    size_t len;
    /* a boolean is spelled "True"/"False" and fails as an architecture; say so plainly */
    const char *s = in->type == DCFG__BOOL ? NULL : shorthand_text(c, in, &len);
    if (s)
        return parse_cpu_text(c, in, s, len, out);
    if (in->type == DCFG__INT)
        return -1; /* out of memory */
    dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE,
              "expected a CPU count, a string like \"arm:8\" or \"x86:4..\", or a mapping, got %s",
              dcfg__describe(in));
    return -1;
}
static const dcfg__kind k_cpu = { "cpu", parse_cpu,
    "count (8, \"2..8\"), \"ARCH:COUNT\" in any order (\"arm:8\", \"8:x86\", \"x86\"), {min, max} as the count, "
    "or {arch, count}",
    "{'anyOf':[{'type':'integer'},{'type':'string','pattern':'^[-+0-9A-Za-z_:. ]*$'},{'$ref':'@cpu'},{'$ref':'@range'}],'examples':[8,'2..8','arm:8',{'arch':'x86','count':'4..'}]}" };

/* ---- gpu ------------------------------------------------------------------------ */

/* Vendor spellings, lower-case, with the canonical value each stands for. */
static const char *const gpu_vendors[][2] = {
    { "nvidia", "nvidia" }, { "amd", "amd" }, { "google", "google" }, { "intel", "intel" },
    { "tenstorrent", "tenstorrent" }, { "tpu", "google" }, { "tt", "tenstorrent" },
};

static const char *vendor_of(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof gpu_vendors / sizeof *gpu_vendors; i++)
        if (lower_eq(s, len, gpu_vendors[i][0]))
            return gpu_vendors[i][1];
    return NULL;
}

static int parse_gpu_vendor(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (!is_text(in)) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a GPU vendor name, got %s", dcfg__describe(in));
        return -1;
    }
    const char *v = vendor_of(in->str, in->len);
    if (!v) {
        dcfg__err(c, in, DCFG_DIAG_UNSUPPORTED_VALUE,
                  "unsupported GPU vendor %s; expected \"nvidia\", \"amd\", \"google\" (or \"tpu\"), \"intel\" or "
                  "\"tenstorrent\" (or \"tt\")",
                  dcfg__show(c, in));
        return -1;
    }
    *out = dcfg__mk_lit(c->arena, v);
    return *out ? 0 : -1;
}
static const dcfg__kind k_gpu_vendor = { "GPU vendor", parse_gpu_vendor,
    "\"nvidia\", \"amd\", \"google\" (alias \"tpu\"), \"intel\", \"tenstorrent\" (alias \"tt\"); case-insensitive",
    "{'type':'string','pattern':'^([Nn][Vv][Ii][Dd][Ii][Aa]|[Aa][Mm][Dd]|[Gg][Oo][Oo][Gg][Ll][Ee]|[Tt][Pp][Uu]|[Ii][Nn][Tt][Ee][Ll]|[Tt][Ee][Nn][Ss][Tt][Oo][Rr][Rr][Ee][Nn][Tt]|[Tt][Tt])$','examples':['nvidia','amd','tpu']}" };

/* One name or a list; numbers become text; a deprecated "tpu-" prefix is dropped. */
static int gpu_name(dcfg__vctx *c, const dcfg__node *item, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (is_text(item) && item->len >= 4 && !memcmp(item->str, "tpu-", 4)) {
        *out = dcfg__mk_str(c->arena, item->str + 4, item->len - 4);
        return *out ? 0 : -1;
    }
    int rc = dcfg__try_str(c, item, &s, &len); /* numbers become text */
    if (rc == 1)
        dcfg__err(c, item, DCFG_DIAG_WRONG_TYPE, "expected a GPU name, got %s", dcfg__describe(item));
    if (rc)
        return -1;
    *out = dcfg__mk_str(c->arena, s, len);
    return *out ? 0 : -1;
}

static int parse_gpu_names(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    /* dstack wraps anything but a Python list, so a !!set is one (bad) name */
    int list = in->type == DCFG__SEQ && !(in->flags & DCFG__NF_SET);
    size_t n = list ? in->n : 1;
    dcfg__node *seq = dcfg__mk_seq(c->arena, n);
    if (!seq)
        return -1;
    if (!list) {
        dcfg__node *v;
        if (gpu_name(c, in, &v))
            return -1;
        dcfg__seq_push(seq, v);
        *out = seq;
        return 0;
    }
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        size_t mark = dcfg__path_push_index(c, i);
        dcfg__node *v;
        if (gpu_name(c, in->kids[i], &v))
            failed = 1;
        else
            dcfg__seq_push(seq, v);
        dcfg__path_pop(c, mark);
    }
    *out = seq;
    return failed ? -1 : 0;
}
static const dcfg__kind k_gpu_names = { "GPU names", parse_gpu_names,
    "a GPU name or a list of names (\"A100\", [H100, A100]); a \"tpu-\" prefix is dropped",
    "{'anyOf':[" DCFG__J_STR ",{'type':'array','items':" DCFG__J_STR "}],'examples':['A100',['H100','A100']]}" };

/* Python int() of one part of a compute capability (unbounded, as in Python):
 * 0 ok, 1 not an integer, -1 out of memory. */
static int cc_part(dcfg__vctx *c, const dcfg__node *n, const char *s, size_t len, dcfg__node **out)
{
    long long v;
    char tmp[400];
    const char *big = NULL;
    char *text = NULL;
    if (n && n->type == DCFG__FLOAT) {
        if (!isfinite(n->v.f))
            return 1;
        if (fabs(n->v.f) < 9.2e18) {
            *out = dcfg__mk_int(c->arena, (long long)n->v.f); /* truncates toward zero, as int() does */
            return *out ? 0 : -1;
        }
        snprintf(tmp, sizeof tmp, "%.0f", n->v.f); /* integral already at this size */
        big = tmp;
    } else if (n && (n->type == DCFG__INT || n->type == DCFG__BOOL)) {
        if (dcfg__try_int(n, &v) == 0) {
            *out = dcfg__mk_int(c->arena, v);
            return *out ? 0 : -1;
        }
        big = n->str;
    } else {
        if (n && !is_text(n))
            return 1;
        if (n)
            s = n->str, len = n->len;
        if (dcfg__py_int(s, len, &v) == 0) {
            *out = dcfg__mk_int(c->arena, v);
            return *out ? 0 : -1;
        }
        int rc = dcfg__int_text(c->arena, s, len, 0, &text);
        if (rc)
            return rc;
        big = text;
    }
    if (!big)
        return 1;
    *out = dcfg__mk_bigint(c->arena, big);
    return *out ? 0 : -1;
}

/* 7.5, "8.0", [8, 6] -> [major, minor]. */
static int parse_compute_capability(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__node *v[2];
    char repr[32];
    int rc[2];
    dcfg__node text = *in;
    if (in->type == DCFG__FLOAT) {
        text.type = DCFG__STR;
        text.len = dcfg__float_repr(repr, in->v.f);
        text.str = repr;
    }
    if (in->type == DCFG__SEQ && in->n == 2 && !(in->flags & DCFG__NF_SET)) { /* a tuple or list, not a set */
        rc[0] = cc_part(c, in->kids[0], NULL, 0, &v[0]);
        rc[1] = rc[0] ? rc[0] : cc_part(c, in->kids[1], NULL, 0, &v[1]);
    } else if (is_text(&text)) {
        /* Python's strip(), then exactly two parts around one dot */
        const char *s = text.str;
        size_t len = text.len;
        while (len && strchr(" \t\n\r\f\v", s[0]))
            s++, len--;
        while (len && strchr(" \t\n\r\f\v", s[len - 1]))
            len--;
        const char *dot = memchr(s, '.', len);
        if (!dot || memchr(dot + 1, '.', len - (size_t)(dot + 1 - s)))
            goto bad;
        rc[0] = cc_part(c, NULL, s, (size_t)(dot - s), &v[0]);
        rc[1] = rc[0] ? rc[0] : cc_part(c, NULL, dot + 1, len - (size_t)(dot + 1 - s), &v[1]);
    } else if (in->type == DCFG__INT || in->type == DCFG__SEQ) {
        goto bad;
    } else {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a compute capability such as 8.0, got %s",
                  dcfg__describe(in));
        return -1;
    }
    if (rc[0] < 0 || rc[1] < 0)
        return -1;
    if (rc[0] || rc[1])
        goto bad;
    dcfg__node *seq = dcfg__mk_seq(c->arena, 2);
    if (!seq)
        return -1;
    dcfg__seq_push(seq, v[0]);
    dcfg__seq_push(seq, v[1]);
    *out = seq;
    return 0;
bad:
    dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
              "invalid compute capability %s; expected MAJOR.MINOR (7.5, \"8.0\") or a list of two integers",
              dcfg__show(c, in));
    return -1;
}
static const dcfg__kind k_compute_capability = { "compute capability", parse_compute_capability,
    "MAJOR.MINOR as a number or string (7.5, \"8.0\") or [MAJOR, MINOR]",
    "{'anyOf':[{'type':['number','string']},{'type':'array','minItems':2,'maxItems':2,'items':{'type':['number','string','boolean']}}],'examples':[8.0,'7.5',[8,0]]}" };

enum { GPU_VENDOR, GPU_NAME, GPU_COUNT, GPU_MEMORY, GPU_TOTAL_MEMORY, GPU_CC, GPU_NFIELDS };
static const dcfg__field gpu_fields[] = {
    [GPU_VENDOR] = { "vendor", &k_gpu_vendor, DCFG__F_NULLABLE, NULL, NULL, "GPU vendor; null means any.", NULL },
    [GPU_NAME] = { "name", &k_gpu_names, DCFG__F_NULLABLE, NULL, NULL, "Acceptable GPU names; null means any.", NULL },
    [GPU_COUNT] = { "count", &dcfg__k_int_range, 0, "1..", NULL, "Number of GPUs; at least one when `gpu` is given.", NULL },
    [GPU_MEMORY] = { "memory", &k_memory_range, DCFG__F_NULLABLE, NULL, NULL, "Memory of each GPU.", NULL },
    [GPU_TOTAL_MEMORY] = { "total_memory", &k_memory_range, DCFG__F_NULLABLE, NULL, NULL, "Memory of all GPUs together.", NULL },
    [GPU_CC] = { "compute_capability", &k_compute_capability, DCFG__F_NULLABLE, NULL, NULL, "Minimum CUDA compute capability.", NULL },
    [GPU_NFIELDS] = { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema gpu_schema = { "gpu", gpu_fields, NULL };

/* "A100,H100" -> a list node of the names; -1 after reporting an empty name. */
static int split_gpu_names(dcfg__vctx *c, const dcfg__node *in, const char *tok, size_t len, dcfg__node **out)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += tok[i] == ',';
    dcfg__node *seq = dcfg__mk_seq(c->arena, n);
    if (!seq)
        return -1;
    for (size_t i = 0;; i++) {
        size_t start = i;
        while (i < len && tok[i] != ',')
            i++;
        if (i == start) {
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "invalid GPU spec %s: empty GPU name", dcfg__show(c, in));
            return -1;
        }
        dcfg__node *name = part_node(c, in, tok + start, i - start);
        if (!name)
            return -1;
        dcfg__seq_push(seq, name);
        if (i >= len)
            break;
    }
    *out = seq;
    return 0;
}

/* Colon-separated parts in any order, each classified as vendor, names,
 * memory (has a letter) or count: "A100:80GB:2", "nvidia:16GB..", "H100,A100:8". */
static int parse_gpu_text(dcfg__vctx *c, const dcfg__node *in, const char *s, size_t len, dcfg__node **out)
{
    static const char *const what[GPU_NFIELDS] = {
        [GPU_VENDOR] = "vendor", [GPU_NAME] = "name list", [GPU_COUNT] = "count", [GPU_MEMORY] = "memory size",
    };
    dcfg__node *parts[GPU_NFIELDS] = { NULL };
    size_t n;
    char *t = strip_spaces(c, s, len, &n);
    if (!t)
        return -1;
    for (size_t i = 0;; i++) {
        size_t start = i;
        while (i < n && t[i] != ':')
            i++;
        const char *tok = t + start;
        size_t tlen = i - start;
        if (!tlen) {
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                      "invalid GPU spec %s: empty part; expected parts like NAME:MEMORY:COUNT (\"A100:80GB:2\")",
                      dcfg__show(c, in));
            return -1;
        }
        int slot = vendor_of(tok, tlen) ? GPU_VENDOR
                   : first_alpha(tok, tlen) ? GPU_NAME
                   : any_alpha(tok, tlen)   ? GPU_MEMORY
                                            : GPU_COUNT;
        if (parts[slot]) {
            dcfg__err(c, in, DCFG_DIAG_CONFLICT, "invalid GPU spec %s: more than one %s", dcfg__show(c, in),
                      what[slot]);
            return -1;
        }
        if (slot == GPU_NAME ? split_gpu_names(c, in, tok, tlen, &parts[slot])
                             : !(parts[slot] = part_node(c, in, tok, tlen)))
            return -1;
        if (i >= n)
            break;
    }
    return object_from_parts(c, &gpu_schema, parts, out);
}

static int parse_gpu(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type == DCFG__MAP)
        return dcfg__parse_object(c, in, &gpu_schema, out);
    size_t len;
    const char *s = shorthand_text(c, in, &len);
    if (s)
        return parse_gpu_text(c, in, s, len, out);
    if (in->type == DCFG__INT)
        return -1; /* out of memory */
    dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE,
              "expected a GPU count, a string like \"A100:80GB:2\" or \"nvidia:16GB..\", or a mapping, got %s",
              dcfg__describe(in));
    return -1;
}
static const dcfg__kind k_gpu = { "gpu", parse_gpu,
    "count (2, \"1..4\"), \"VENDOR:NAME,NAME:MEMORY:COUNT\" parts in any order (\"A100:80GB:2\", \"nvidia:16GB..\"), "
    "or {vendor, name, count, memory, total_memory, compute_capability}",
    "{'anyOf':[" DCFG__J_INT ",{'type':'string','pattern':'^[-A-Za-z0-9_.,+ ]+(:[-A-Za-z0-9_.,+ ]+)*$'},{'$ref':'@gpu'}],'examples':[2,'24GB','A100:80GB:2','nvidia:16GB..',{'name':['A100','H100'],'memory':'80GB','count':'1..2'}]}" };

/* ---- disk ----------------------------------------------------------------------- */

enum { DISK_SIZE, DISK_NFIELDS };
static const dcfg__field disk_fields[] = {
    [DISK_SIZE] = { "size", &k_memory_range, DCFG__F_REQUIRED, NULL, NULL, "Disk size in GB (a range).", NULL },
    [DISK_NFIELDS] = { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema disk_schema = { "disk", disk_fields, NULL };

static int parse_disk(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type == DCFG__MAP)
        return dcfg__parse_object(c, in, &disk_schema, out);
    if (is_text(in) || in->type == DCFG__INT || in->type == DCFG__FLOAT || in->type == DCFG__BOOL) {
        dcfg__node *parts[DISK_NFIELDS] = { (dcfg__node *)in };
        return object_from_parts(c, &disk_schema, parts, out);
    }
    dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a disk size such as \"100GB\" or \"100GB..\", or {size}, got %s",
              dcfg__describe(in));
    return -1;
}
static const dcfg__kind k_disk = { "disk", parse_disk, "size or size range (\"100GB\", \"200GB..\"), or {size}",
    "{'anyOf':[" DCFG__J_MEMORY ",{'type':'string','pattern':'\\.\\.'},{'$ref':'@disk'}],'examples':['100GB','200GB..',{'size':'100GB..1TB'}]}" };

/* ---- resources ------------------------------------------------------------------- */

static const dcfg__field resources_fields[] = {
    { "cpu", &k_cpu, 0, "{}", NULL, "CPU cores and architecture; at least 2 cores by default.", NULL },
    { "memory", &k_memory_range, 0, "8GB..", NULL, "RAM in GB; at least 8GB by default.", NULL },
    { "shm_size", &k_memory, DCFG__F_NULLABLE, NULL, NULL, "Shared memory size (/dev/shm) in GB.", NULL },
    { "gpu", &k_gpu, DCFG__F_NULLABLE, "0..", NULL, "GPU requirements; by default any number, including none.", NULL },
    { "disk", &k_disk, DCFG__F_NULLABLE, "100GB..", NULL, "Disk size; at least 100GB by default.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema resources_schema = { "resources", resources_fields, NULL };

static int parse_resources(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return dcfg__parse_object(c, in, &resources_schema, out);
}
const dcfg__kind dcfg__k_resources = { "resources", parse_resources,
    "mapping {cpu, memory, shm_size, gpu, disk}",
    "{'$ref':'@resources','examples':[{'gpu':'A100:80GB:2','disk':'200GB..'}]}" };

/* Objects of this area, for the generated reference (tools/gen_reference.c). */
const dcfg__doc_object dcfg__resources_docs[] = {
    { "resources", &resources_schema },
    { "resources.cpu", &cpu_schema },
    { "resources.gpu", &gpu_schema },
    { "resources.disk", &disk_schema },
    { "resources.memory (range)", &memory_range_schema },
    { NULL, NULL },
};
