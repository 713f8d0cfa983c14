/* dstackcfg fmt: rewrite configurations in their minimal view.
 *
 *   fmt FILE...           print the formatted files on stdout
 *   fmt --check FILE...   exit 1 when a file is not formatted (names on stderr)
 *   fmt --write FILE...   rewrite files that are not formatted, atomically
 *
 * YAML comments are kept. Each comment belongs to a top-level key: a comment
 * at column 0 goes with the key below it, an indented one (or one at the end
 * of a line) with the key whose block it is in. When a key's block comes out
 * exactly as it was written (apart from blank lines), its comments stay
 * where they were; otherwise they move, unchanged, above the key. Comments
 * before the first key (separated from it by a blank line) stay at the top,
 * those after the last block at the bottom. A file whose comments cannot be
 * placed this way (the document is not a block mapping) is left alone with
 * an error saying why: fmt never drops a comment silently.
 *
 * Every formatted text is parsed again and must give the same configuration,
 * or the file is not touched. A rewrite goes to a temporary file in the same
 * directory that replaces the original with rename(), so the original is
 * either intact or fully replaced, never truncated. */
#if !defined(_XOPEN_SOURCE)
#  define _XOPEN_SOURCE 700 /* realpath() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <libfyaml.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

/* ---- small growable things --------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* ---- input -------------------------------------------------------------------------------- */

static char *read_all(const char *file, size_t *len)
{
    FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
    if (!f)
        return NULL;
    sbuf b = { 0 };
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_putn(&b, chunk, n);
    int err = ferror(f) || b.oom;
    if (f != stdin)
        fclose(f);
    if (err) {
        free(b.p);
        errno = b.oom ? ENOMEM : EIO;
        return NULL;
    }
    if (!b.p)
        sb_putn(&b, "", 0);
    if (b.oom) {
        free(b.p);
        errno = ENOMEM;
        return NULL;
    }
    *len = b.len;
    return b.p;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* ---- the original's layout: lines, comments, top-level keys --------------------------------- */

enum { L_CONTENT, L_COMMENT, L_BLANK };

typedef struct line {
    const char *p;       /* start */
    size_t len;          /* without the line break (and a '\r' before it) */
    int kind;
    size_t hash;         /* L_COMMENT / a trailing comment: offset of '#' in the line; (size_t)-1 none */
    size_t content_len;  /* L_CONTENT: length before a trailing comment, white space trimmed */
} line;

typedef struct rootkey {
    char *name;
    size_t line; /* 0-based */
} rootkey;

typedef struct layout {
    line *lines;
    size_t nlines;
    rootkey *keys;
    size_t nkeys;
    int has_comments;
} layout;

static void layout_free(layout *l)
{
    for (size_t i = 0; i < l->nkeys; i++)
        free(l->keys[i].name);
    free(l->keys);
    free(l->lines);
    memset(l, 0, sizeof *l);
}

typedef struct span {
    size_t a, b; /* [a, b) byte range of a token */
} span;

/* Scans the YAML with libfyaml: token ranges (to tell comments from '#' in
 * scalars) and the top-level keys of a block mapping. 0 ok, -1 cannot scan. */
static int scan(const char *data, size_t len, span **spans, size_t *nspans, layout *l)
{
    struct fy_parse_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.flags = FYPCF_QUIET;
    struct fy_parser *p = fy_parser_create(&cfg);
    if (!p || fy_parser_set_string(p, data, len)) {
        if (p)
            fy_parser_destroy(p);
        return -1;
    }
    size_t cap = 0, capk = 0;
    int depth = 0, root_block_map = 0, rc = 0, want_key = 0;
    struct fy_token *t;
    while ((t = fy_scan(p)) != NULL) {
        enum fy_token_type type = fy_token_get_type(t);
        const struct fy_mark *a = fy_token_start_mark(t), *b = fy_token_end_mark(t);
        if (type == FYTT_BLOCK_MAPPING_START || type == FYTT_BLOCK_SEQUENCE_START ||
            type == FYTT_FLOW_MAPPING_START || type == FYTT_FLOW_SEQUENCE_START) {
            if (depth == 0 && type == FYTT_BLOCK_MAPPING_START)
                root_block_map = 1;
            depth++;
        } else if (type == FYTT_BLOCK_END || type == FYTT_FLOW_MAPPING_END || type == FYTT_FLOW_SEQUENCE_END) {
            depth--;
        } else if (type == FYTT_KEY && depth == 1 && root_block_map && a) {
            want_key = 1;
            if (l->nkeys == capk) {
                capk = capk ? capk * 2 : 16;
                rootkey *k = realloc(l->keys, capk * sizeof *k);
                if (!k)
                    rc = -1;
                else
                    l->keys = k;
            }
            if (!rc) {
                l->keys[l->nkeys].name = NULL;
                l->keys[l->nkeys].line = (size_t)a->line;
                l->nkeys++;
            }
        } else if (type == FYTT_SCALAR && want_key) {
            size_t tl = 0;
            const char *text = fy_token_get_text(t, &tl);
            char *name = malloc(tl + 1);
            if (!name || !text) {
                free(name);
                rc = -1;
            } else {
                memcpy(name, text, tl);
                name[tl] = '\0';
                l->keys[l->nkeys - 1].name = name;
            }
        }
        if (type != FYTT_KEY)
            want_key = 0;
        if (type == FYTT_SCALAR || type == FYTT_ALIAS || type == FYTT_ANCHOR || type == FYTT_TAG ||
            type == FYTT_VERSION_DIRECTIVE || type == FYTT_TAG_DIRECTIVE) {
            if (a && b && b->input_pos > a->input_pos) {
                if (*nspans == cap) {
                    cap = cap ? cap * 2 : 64;
                    span *s = realloc(*spans, cap * sizeof *s);
                    if (!s)
                        rc = -1;
                    else
                        *spans = s;
                }
                if (!rc) {
                    (*spans)[*nspans].a = a->input_pos;
                    (*spans)[*nspans].b = b->input_pos;
                    (*nspans)++;
                }
            }
        }
        fy_scan_token_free(p, t);
        if (rc)
            break;
    }
    if (fy_parser_get_stream_error(p))
        rc = -1;
    fy_parser_destroy(p);
    for (size_t i = 0; i < l->nkeys; i++)
        if (!l->keys[i].name)
            rc = -1;
    if (!root_block_map)
        l->nkeys = 0;
    return rc;
}

static int in_spans(const span *s, size_t n, size_t pos)
{
    for (size_t i = 0; i < n; i++)
        if (pos >= s[i].a && pos < s[i].b)
            return 1;
    return 0;
}

/* Builds the line table; 0 ok, -1 cannot (then the caller refuses when there is a '#'). */
static int analyse(const char *data, size_t len, layout *l)
{
    span *spans = NULL;
    size_t nspans = 0;
    memset(l, 0, sizeof *l);
    if (scan(data, len, &spans, &nspans, l)) {
        free(spans);
        return -1;
    }
    size_t cap = 16;
    l->lines = malloc(cap * sizeof *l->lines);
    if (!l->lines) {
        free(spans);
        return -1;
    }
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        if (l->nlines == cap) {
            cap *= 2;
            line *nlines = realloc(l->lines, cap * sizeof *nlines);
            if (!nlines) {
                free(spans);
                return -1;
            }
            l->lines = nlines;
        }
        line *ln = &l->lines[l->nlines++];
        ln->p = data + pos;
        ln->len = end - pos;
        if (ln->len && ln->p[ln->len - 1] == '\r')
            ln->len--;
        ln->hash = (size_t)-1;
        size_t first = 0;
        while (first < ln->len && (ln->p[first] == ' ' || ln->p[first] == '\t'))
            first++;
        int in_scalar = in_spans(spans, nspans, pos) && pos > 0;
        for (size_t i = 0; i < ln->len; i++) {
            if (ln->p[i] == '#' && !in_spans(spans, nspans, pos + i)) {
                ln->hash = i;
                l->has_comments = 1;
                break;
            }
        }
        if (first == ln->len && !in_scalar) {
            ln->kind = L_BLANK;
        } else if (ln->hash == first) {
            ln->kind = L_COMMENT;
        } else {
            ln->kind = L_CONTENT;
            size_t c = ln->hash == (size_t)-1 ? ln->len : ln->hash;
            if (ln->hash != (size_t)-1)
                while (c > 0 && (ln->p[c - 1] == ' ' || ln->p[c - 1] == '\t'))
                    c--;
            ln->content_len = c;
        }
        pos = nl ? end + 1 : len;
    }
    free(spans);
    return 0;
}

/* ---- putting comments back ------------------------------------------------------------------ */

static size_t rtrim(const char *p, size_t n)
{
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return n;
}

/* The original line, trailing white space removed. */
static void put_line(sbuf *out, const line *ln)
{
    sb_putn(out, ln->p, rtrim(ln->p, ln->len));
    sb_putn(out, "\n", 1);
}

/* A comment moved above its key: its text from '#', at column 0. */
static void put_moved_comment(sbuf *out, const line *ln)
{
    sb_putn(out, ln->p + ln->hash, rtrim(ln->p + ln->hash, ln->len - ln->hash));
    sb_putn(out, "\n", 1);
}

typedef struct block {
    const char *name;     /* top-level key */
    size_t above_a, above_b; /* lines of comments above the key */
    size_t body_a, body_b;   /* the key's lines: its line up to its last (inside comments included) */
    int used;
} block;

typedef struct rblock {
    const char *p; /* rendered lines of one top-level key */
    size_t len;
    char name[128];
} rblock;

/* Splits rendered YAML into top-level blocks. */
static size_t rendered_blocks(const char *text, size_t len, rblock *rb, size_t max)
{
    size_t n = 0, pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) + 1 : len;
        char c = text[pos];
        if (c != ' ' && c != '\n' && n < max) {
            rb[n].p = text + pos;
            rb[n].len = 0;
            size_t k = 0;
            while (pos + k < end && text[pos + k] != ':' && k + 1 < sizeof rb[n].name) {
                rb[n].name[k] = text[pos + k];
                k++;
            }
            rb[n].name[k] = '\0';
            n++;
        }
        if (n)
            rb[n - 1].len = (size_t)(text + end - rb[n - 1].p);
        pos = end;
    }
    return n;
}

/* Are the content lines of the original block exactly the rendered lines? */
static int same_block(const layout *l, const block *b, const rblock *r)
{
    const char *p = r->p, *end = r->p + r->len;
    for (size_t i = b->body_a; i < b->body_b; i++) {
        const line *ln = &l->lines[i];
        if (ln->kind != L_CONTENT)
            continue;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return 0;
        size_t rlen = (size_t)(nl - p);
        if (rlen != ln->content_len || memcmp(p, ln->p, rlen))
            return 0;
        p = nl + 1;
    }
    return p == end;
}

/* Merges the original's comments into the rendered YAML. 0 ok, -1 cannot. */
static int merge_comments(const layout *l, const char *rendered, size_t rlen, sbuf *out)
{
    if (!l->nkeys)
        return -1;
    enum { MAX_BLOCKS = 256 };
    rblock rb[MAX_BLOCKS];
    size_t nr = rendered_blocks(rendered, rlen, rb, MAX_BLOCKS);
    block *b = calloc(l->nkeys, sizeof *b);
    if (!b || nr == MAX_BLOCKS) {
        free(b);
        return -1;
    }
    /* header: comments before the first key; the run right above it belongs to the key */
    size_t first = l->keys[0].line, head_end = first;
    while (head_end > 0 && l->lines[head_end - 1].kind == L_COMMENT)
        head_end--;
    for (size_t i = 0; i < l->nkeys; i++) {
        b[i].name = l->keys[i].name;
        b[i].body_a = l->keys[i].line;
        size_t next = i + 1 < l->nkeys ? l->keys[i + 1].line : l->nlines;
        /* trailing comment/blank lines: from the first one at column 0 on, they go with the next key */
        size_t t = next;
        while (t > b[i].body_a + 1 && l->lines[t - 1].kind != L_CONTENT)
            t--;
        size_t cut = next;
        for (size_t k = t; k < next; k++) {
            if (l->lines[k].kind == L_COMMENT && l->lines[k].hash == 0) {
                cut = k;
                break;
            }
        }
        b[i].body_b = cut;
        if (i + 1 < l->nkeys) {
            b[i + 1].above_a = cut;
            b[i + 1].above_b = next;
        }
    }
    b[0].above_a = head_end;
    b[0].above_b = first;
    size_t last_cut = b[l->nkeys - 1].body_b;

    for (size_t i = 0; i < head_end; i++)
        if (l->lines[i].kind == L_COMMENT)
            put_line(out, &l->lines[i]);
    for (size_t r = 0; r < nr; r++) {
        /* the effective block is the last one written with this key */
        ssize_t which = -1;
        for (size_t i = 0; i < l->nkeys; i++)
            if (!strcmp(b[i].name, rb[r].name))
                which = (ssize_t)i;
        for (size_t i = 0; i < l->nkeys; i++) {
            if (strcmp(b[i].name, rb[r].name) || b[i].used)
                continue;
            b[i].used = 1;
            for (size_t k = b[i].above_a; k < b[i].above_b; k++)
                if (l->lines[k].kind == L_COMMENT)
                    put_line(out, &l->lines[k]);
            if ((ssize_t)i != which) {
                for (size_t k = b[i].body_a; k < b[i].body_b; k++)
                    if (l->lines[k].hash != (size_t)-1)
                        put_moved_comment(out, &l->lines[k]);
            }
        }
        if (which >= 0 && same_block(l, &b[which], &rb[r])) {
            for (size_t k = b[which].body_a; k < b[which].body_b; k++)
                if (l->lines[k].kind != L_BLANK)
                    put_line(out, &l->lines[k]);
            continue;
        }
        if (which >= 0)
            for (size_t k = b[which].body_a; k < b[which].body_b; k++)
                if (l->lines[k].hash != (size_t)-1)
                    put_moved_comment(out, &l->lines[k]);
        sb_putn(out, rb[r].p, rb[r].len);
    }
    /* keys the minimal view leaves out (e.g. a null that is the default): their comments at the end */
    for (size_t i = 0; i < l->nkeys; i++) {
        if (b[i].used)
            continue;
        for (size_t k = b[i].above_a; k < b[i].above_b; k++)
            if (l->lines[k].kind == L_COMMENT)
                put_line(out, &l->lines[k]);
        for (size_t k = b[i].body_a; k < b[i].body_b; k++)
            if (l->lines[k].hash != (size_t)-1)
                put_moved_comment(out, &l->lines[k]);
    }
    for (size_t k = last_cut; k < l->nlines; k++)
        if (l->lines[k].kind == L_COMMENT)
            put_line(out, &l->lines[k]);
    free(b);
    return out->oom ? -1 : 0;
}

/* ---- formatting one file ----------------------------------------------------------------------- */

typedef struct fmt_opts {
    cli_common co;
    int check, write;
} fmt_opts;

static dcfg_status parse_text(const fmt_opts *o, const char *file, const char *data, size_t len, int json,
                              dcfg_config **cfg, dcfg_diags **diags)
{
    dcfg_parse_options opts = DCFG_PARSE_OPTIONS_INIT;
    opts.flags = o->co.parse_flags;
    /* unknown keys are never silently dropped: with --unknown=ignore they still get a warning */
    if (opts.flags & DCFG_PARSE_UNKNOWN_IGNORE)
        opts.flags = (opts.flags & ~DCFG_PARSE_UNKNOWN_IGNORE) | DCFG_PARSE_UNKNOWN_AS_WARNING;
    opts.format = json ? DCFG_FORMAT_JSON : o->co.input_format;
    opts.source_name = strcmp(file, "-") ? file : "<stdin>";
    return dcfg_config_parse(cfg, diags, data, len, &opts);
}

/* The dstack view, to check that formatting kept the configuration. */
static char *dstack_json(const dcfg_config *cfg)
{
    char *s = NULL;
    return dcfg_config_emit(&s, NULL, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0) == DCFG_OK ? s : NULL;
}

/* Formats `data`; *out is malloc'ed. Returns EXIT_VALID, EXIT_INVALID (reported) or EXIT_USAGE. */
static int format_text(const fmt_opts *o, const char *file, const char *data, size_t len, char **out, size_t *out_len)
{
    int json = o->co.input_format == DCFG_FORMAT_JSON ||
               (o->co.input_format == DCFG_FORMAT_AUTO && (ends_with(file, ".json") || dcfg_detect_format(data, len) == DCFG_FORMAT_JSON));
    dcfg_config *cfg = NULL;
    dcfg_diags *diags = NULL;
    dcfg_status st = parse_text(o, file, data, len, json, &cfg, &diags);
    cli_print_diags(diags);
    int unknown = 0;
    for (size_t i = 0; i < dcfg_diags_count(diags); i++)
        unknown |= dcfg_diag_code_of(dcfg_diags_at(diags, i)) == DCFG_DIAG_UNKNOWN_FIELD;
    dcfg_diags_free(diags);
    if (st == DCFG_OK && unknown) {
        fprintf(stderr, "dstackcfg: %s: not formatted: it has fields dstack does not know, which the formatted file would lose\n", file);
        dcfg_config_free(cfg);
        return EXIT_INVALID;
    }
    if (st != DCFG_OK) {
        if (st == DCFG_ENOMEM || st == DCFG_EUSAGE) {
            fprintf(stderr, "dstackcfg: %s: %s\n", file, dcfg_status_string(st));
            return EXIT_USAGE;
        }
        fprintf(stderr, "dstackcfg: %s: not formatted: the configuration is not valid\n", file);
        return EXIT_INVALID;
    }
    char *text = NULL, *before = dstack_json(cfg);
    size_t tlen = 0;
    st = dcfg_config_emit(&text, &tlen, cfg, DCFG_VIEW_MINIMAL, json ? DCFG_FORMAT_JSON : DCFG_FORMAT_YAML,
                          DCFG_EMIT_PRETTY);
    dcfg_config_free(cfg);
    if (st != DCFG_OK || !before) {
        fprintf(stderr, "dstackcfg: %s: %s\n", file, dcfg_status_string(st != DCFG_OK ? st : DCFG_ENOMEM));
        dcfg_free(text);
        dcfg_free(before);
        return EXIT_USAGE;
    }
    sbuf res = { 0 };
    int rc = EXIT_VALID;
    layout l;
    memset(&l, 0, sizeof l);
    if (!json && memchr(data, '#', len)) {
        if (analyse(data, len, &l)) {
            fprintf(stderr, "dstackcfg: %s: not formatted: it may have comments and fmt could not read its layout to keep them\n", file);
            rc = EXIT_INVALID;
        } else if (l.has_comments && merge_comments(&l, text, tlen, &res)) {
            fprintf(stderr, "dstackcfg: %s: not formatted: it has comments and its top level is not a block mapping, so fmt cannot keep them\n", file);
            rc = EXIT_INVALID;
        }
    }
    if (rc == EXIT_VALID && !l.has_comments) {
        sb_putn(&res, text, tlen);
        if (!res.len || res.p[res.len - 1] != '\n')
            sb_putn(&res, "\n", 1);
    }
    layout_free(&l);
    dcfg_free(text);
    if (rc == EXIT_VALID && res.oom) {
        fprintf(stderr, "dstackcfg: %s: %s\n", file, strerror(ENOMEM));
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_VALID) {
        /* the formatted text must be the same configuration */
        dcfg_config *again = NULL;
        char *after = NULL;
        if (parse_text(o, file, res.p, res.len, json, &again, NULL) == DCFG_OK)
            after = dstack_json(again);
        dcfg_config_free(again);
        if (!after || strcmp(before, after)) {
            fprintf(stderr, "dstackcfg: %s: not formatted: the formatted text would not be the same configuration (a bug; please report it)\n", file);
            rc = EXIT_USAGE;
        }
        dcfg_free(after);
    }
    dcfg_free(before);
    if (rc != EXIT_VALID) {
        free(res.p);
        return rc;
    }
    *out = res.p;
    *out_len = res.len;
    return EXIT_VALID;
}

/* Replaces `file` by `data`: a temporary file in the same directory, synced,
 * then renamed over the original (a symbolic link's target is replaced).
 * 0 ok; -1 with errno set and the original untouched. */
static int write_atomically(const char *file, const char *data, size_t len)
{
    char *real = realpath(file, NULL);
    if (!real)
        return -1;
    struct stat st;
    if (stat(real, &st)) {
        free(real);
        return -1;
    }
    const char *slash = strrchr(real, '/');
    size_t dlen = slash ? (size_t)(slash - real) : 0;
    const char *base = slash ? slash + 1 : real;
    size_t cap = dlen + strlen(base) + 32;
    char *tmp = malloc(cap);
    if (!tmp) {
        free(real);
        errno = ENOMEM;
        return -1;
    }
    snprintf(tmp, cap, "%.*s/.%s.dstackcfg-XXXXXX", (int)dlen, real, base);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        free(real);
        errno = e;
        return -1;
    }
    int err = 0;
    if (fchmod(fd, st.st_mode & 07777))
        err = errno;
    size_t done = 0;
    while (!err && done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
        } else {
            done += (size_t)w;
        }
    }
    if (!err && fsync(fd))
        err = errno;
    if (close(fd) && !err)
        err = errno;
    if (!err && rename(tmp, real))
        err = errno;
    if (err) {
        unlink(tmp);
    } else if (dlen) {
        /* make the rename itself durable; best effort */
        char *dir = strndup(real, dlen);
        int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY) : -1;
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    free(tmp);
    free(real);
    errno = err;
    return err ? -1 : 0;
}

int cmd_fmt(int argc, char **argv)
{
    fmt_opts o = { { DCFG_FORMAT_AUTO, 0 }, 0, 0 };
    int first_file = -1;
    for (int i = 0; i < argc; i++) {
        int r = cli_common_option(&o.co, argc, argv, &i);
        if (r < 0)
            goto usage;
        if (r)
            continue;
        if (!strcmp(argv[i], "--check"))
            o.check = 1;
        else if (!strcmp(argv[i], "--write"))
            o.write = 1;
        else if (!strcmp(argv[i], "--")) {
            first_file = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            goto usage;
        } else {
            first_file = i;
            break;
        }
    }
    if (first_file < 0 || first_file >= argc || (o.check && o.write))
        goto usage;
    for (int i = first_file; i < argc; i++)
        if (o.write && !strcmp(argv[i], "-"))
            goto usage;
    if (o.write)
        signal(SIGXFSZ, SIG_IGN); /* a file size limit makes write() fail instead of killing us mid-way */

    int status = EXIT_VALID;
    for (int i = first_file; i < argc; i++) {
        const char *file = argv[i];
        size_t len = 0;
        char *data = read_all(file, &len);
        if (!data) {
            fprintf(stderr, "dstackcfg: %s: %s\n", file, strerror(errno));
            status = EXIT_USAGE;
            continue;
        }
        char *out = NULL;
        size_t out_len = 0;
        int rc = format_text(&o, file, data, len, &out, &out_len);
        if (rc != EXIT_VALID) {
            if (rc > status)
                status = rc;
            free(data);
            continue;
        }
        int same = out_len == len && !memcmp(out, data, len);
        if (o.check) {
            if (!same) {
                fprintf(stderr, "%s: not formatted (dstackcfg fmt --write %s)\n", file, file);
                if (status < EXIT_INVALID)
                    status = EXIT_INVALID;
            }
        } else if (o.write) {
            if (!same && write_atomically(file, out, out_len)) {
                fprintf(stderr, "dstackcfg: %s: cannot rewrite: %s; the file is unchanged\n", file, strerror(errno));
                status = EXIT_USAGE;
            }
        } else {
            fwrite(out, 1, out_len, stdout);
        }
        free(out);
        free(data);
    }
    if (fflush(stdout))
        status = EXIT_USAGE;
    return status;
usage:
    cli_usage(stderr);
    return EXIT_USAGE;
}
