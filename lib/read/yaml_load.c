/* YAML front end: libfyaml's event parser -> dcfg__node tree, typed and shaped
 * exactly like PyYAML's yaml.safe_load (YAML 1.1), which is what dstack uses.
 *
 * This file is the event loop and the driver. The tree is built from events
 * with an explicit stack (no recursion, no fy_document), every node and string
 * lives in ld->arena, and all limits (input size, scalar size, depth, nodes
 * after alias expansion) are enforced here because libfyaml has no knobs for
 * them. Scalars: yaml_scalar.c; anchors: yaml_anchors.c; mappings and merge
 * keys: yaml_mapping.c; checks libfyaml does not make: yaml_checks.c. */
#include "read/yaml_loader.h"

int dcfg__yaml_grow(dcfg__yaml_loader *lo, void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem)
            return -1;
        c *= 2;
    }
    void *q = dcfg__realloc(lo->al, *p, c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* ---- adding children ---- */

int dcfg__yaml_in_key_position(const dcfg__yaml_loader *lo)
{
    if (!lo->nframes)
        return 0;
    const dcfg__yaml_frame *top = &lo->frames[lo->nframes - 1];
    return top->kind == DCFG__MAP && (lo->nitems - top->base) % 2 == 0;
}

int dcfg__yaml_add_child(dcfg__yaml_loader *lo, dcfg__node *n, unsigned height)
{
    if (!lo->nframes) {
        lo->root = n;
        lo->have_root = 1;
        return 0;
    }
    if (dcfg__yaml_grow(lo, (void **)&lo->items, &lo->citems, lo->nitems + 1, sizeof *lo->items)) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    lo->items[lo->nitems++] = n;
    dcfg__yaml_frame *top = &lo->frames[lo->nframes - 1];
    if (height > top->height)
        top->height = height;
    return 0;
}

/* ---- events ---- */

/* A key left out before its `:` (libfyaml makes it null; PyYAML's parser
 * stops: "expected <block end>, but found ':'"). An explicit `? ` key is fine. */
int dcfg__yaml_empty_implicit_key(dcfg__yaml_loader *lo)
{
    if (!lo->have_prev)
        return 0;
    const char *s = lo->data;
    size_t i = lo->prev_pos;
    /* after an empty value (`a: ,` or `a:` then `?`), the first ':' is that value's key's */
    int skip_colon = lo->prev_unmarked;
    while (i < lo->len) {
        char c = s[i];
        if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' || s[i - 1] == '\r')) {
            while (i < lo->len && s[i] != '\n' && s[i] != '\r')
                i++;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '{' || c == '[') {
            i++;
        } else if (c == ':' && skip_colon) {
            skip_colon = 0;
            i++;
        } else {
            break;
        }
    }
    if (i >= lo->len || s[i] != ':')
        return 0;
    unsigned line = lo->prev_line, col = lo->prev_col;
    dcfg__yaml_advance_mark(s, lo->prev_pos, i, &line, &col);
    dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line + 1, col + 1, 0, 0,
                        "found ':' without a key before it; hint: write the key, or quote a value that "
                        "starts with ':'");
    dcfg__yaml_fail(lo, DCFG_ESYNTAX);
    return 1;
}

/* In the key of an !!omap or !!pairs item (its first, in a mapping with no
 * anchor): PyYAML makes that key a tuple member, where a list or a dict is
 * fine. */
static int in_pairs_item_key(const dcfg__yaml_loader *lo)
{
    if (lo->nframes < 2)
        return 0;
    const dcfg__yaml_frame *m = &lo->frames[lo->nframes - 1], *s = &lo->frames[lo->nframes - 2];
    return m->anchor == DCFG__NO_ANCHOR && m->base == lo->nitems && s->kind == DCFG__SEQ &&
           (s->build == DCFG__YAML_OMAP || s->build == DCFG__YAML_PAIRS);
}

static int on_collection_start(dcfg__yaml_loader *lo, struct fy_event *e, int is_map)
{
    unsigned line, col;
    dcfg__yaml_event_pos(lo, e, &line, &col);
    unsigned maxd = lo->ld->limits.max_depth;
    if (maxd && lo->nframes >= maxd) {
        dcfg__yaml_limit_error(lo, line, col, "nesting deeper than %u levels", maxd);
        return -1;
    }
    int block = fy_event_get_node_style(e) != FYNS_FLOW;
    if (dcfg__yaml_check_value_indent(lo, line, col, block && !is_map))
        return -1;
    const struct fy_mark *sm = fy_event_start_mark(e);
    if (sm && dcfg__yaml_check_item_indent(lo, sm->input_pos, col))
        return -1;
    if (dcfg__yaml_in_key_position(lo) && !in_pairs_item_key(lo)) {
        /* PyYAML: "found unhashable key" (lists and dicts cannot be dict keys) */
        dcfg__yaml_construct_error(lo, line, col, 1, "found unhashable key (a %s)", is_map ? "mapping" : "sequence");
        return -1;
    }
    /* the anchor first: a name libfyaml read too far may hide a key (`!!str &a:`) */
    size_t slot = dcfg__yaml_anchor_define(lo, fy_event_get_anchor_token(e), NULL, fy_event_get_tag_token(e) != NULL);
    int build = slot == DCFG__NO_ANCHOR - 1 ? -1 : dcfg__yaml_check_collection_tag(lo, e, is_map, line, col);
    if (build < 0 || dcfg__yaml_budget(lo, 1, line, col))
        return -1;
    if (dcfg__yaml_grow(lo, (void **)&lo->frames, &lo->cframes, lo->nframes + 1, sizeof *lo->frames)) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    dcfg__yaml_frame *f = &lo->frames[lo->nframes++];
    f->kind = is_map ? DCFG__MAP : DCFG__SEQ;
    f->block = (unsigned char)block;
    f->line = line;
    f->col = col;
    f->base = lo->nitems;
    f->count0 = lo->count - 1;
    f->bytes0 = lo->bytes;
    f->height = 0;
    f->anchor = slot;
    f->build = (unsigned char)build;
    return 0;
}

static int on_collection_end(dcfg__yaml_loader *lo)
{
    dcfg__yaml_frame *f = &lo->frames[lo->nframes - 1];
    dcfg__node *n;
    if (f->kind == DCFG__SEQ && f->build != DCFG__YAML_PLAIN) {
        n = dcfg__yaml_build_pairs(lo, f, f->build == DCFG__YAML_OMAP);
        if (!n)
            return -1;
    } else if (f->kind == DCFG__SEQ) {
        size_t cnt = lo->nitems - f->base;
        n = dcfg__mk_seq(lo->ld->arena, cnt);
        if (!n) {
            dcfg__yaml_fail(lo, DCFG_ENOMEM);
            return -1;
        }
        for (size_t i = 0; i < cnt; i++)
            dcfg__seq_push(n, lo->items[f->base + i]);
    } else {
        n = dcfg__yaml_build_map(lo, f);
        if (n && f->build == DCFG__YAML_SET)
            n = dcfg__yaml_build_set(lo, n);
        if (!n)
            return -1;
    }
    n->line = f->line;
    n->col = f->col;
    unsigned height = f->height + 1;
    size_t size = lo->count - f->count0;
    if (f->anchor != DCFG__NO_ANCHOR) {
        dcfg__yaml_anchor *a = &lo->anchors[f->anchor];
        a->node = n;
        a->size = size;
        a->bytes = lo->bytes - f->bytes0;
        a->height = height;
    }
    lo->nitems = f->base;
    lo->nframes--;
    return dcfg__yaml_add_child(lo, n, height);
}

static int on_document_start(dcfg__yaml_loader *lo, struct fy_parser *fyp, struct fy_event *e)
{
    if (++lo->ndocs == 1)
        return 0;
    unsigned line, col;
    const struct fy_mark *m = fy_event_start_mark(e);
    struct fy_event *next = NULL;
    if (!m) { /* an implicit start has no mark in 0.7.12: use its first content */
        next = fy_parser_parse(fyp);
        m = next ? fy_event_start_mark(next) : NULL;
    }
    if (m) {
        line = (unsigned)m->line + 1;
        col = (unsigned)m->column + 1;
    } else {
        line = lo->have_prev ? lo->prev_line + 1 : 0;
        col = lo->have_prev ? lo->prev_col + 1 : 0;
    }
    if (next)
        fy_parser_event_free(fyp, next);
    dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line, col, 0, 0,
                        "expected a single document in the stream, but found another document");
    dcfg__yaml_fail(lo, DCFG_ESYNTAX);
    return -1;
}

/* ---- driver ---- */

static void sink(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
}

/* Byte offset just past the first error libfyaml collected (the whole text when unknown). */
static size_t error_offset(const dcfg__yaml_loader *lo, struct fy_diag *diag)
{
    void *it = NULL;
    struct fy_diag_error *de;
    while ((de = fy_diag_errors_iterate(diag, &it)) != NULL && de->type < FYET_ERROR)
        ;
    if (!de || de->line < 1)
        return lo->len;
    size_t i = 0;
    for (int line = 1; i < lo->len && line < de->line; i++)
        if (lo->data[i] == '\n')
            line++;
    for (int col = 1; i < lo->len && col < de->column + 1 && lo->data[i] != '\n'; i++)
        if (((unsigned char)lo->data[i] & 0xC0) != 0x80)
            col++;
    return i;
}

static void run_parser(dcfg__yaml_loader *lo, struct fy_parser *fyp, struct fy_diag *diag)
{
    struct fy_event *e;
    while ((e = fy_parser_parse(fyp)) != NULL) {
        int rc = 0, done = 0;
        switch (e->type) {
        case FYET_DOCUMENT_START: rc = on_document_start(lo, fyp, e); break;
        case FYET_MAPPING_START: rc = on_collection_start(lo, e, 1); break;
        case FYET_SEQUENCE_START: rc = on_collection_start(lo, e, 0); break;
        case FYET_MAPPING_END:
        case FYET_SEQUENCE_END: rc = on_collection_end(lo); break;
        case FYET_SCALAR:
            rc = lo->edits && lo->edits->nnames ? dcfg__yaml_name_event(lo, e) : 0;
            rc = rc ? (rc < 0 ? -1 : 0) : dcfg__yaml_on_scalar(lo, e);
            break;
        case FYET_ALIAS: rc = dcfg__yaml_on_alias(lo, e); break;
        case FYET_STREAM_END: done = 1; break;
        default: break;
        }
        const struct fy_mark *em = fy_event_end_mark(e);
        lo->prev_unmarked = !em && e->type == FYET_SCALAR;
        if (em) {
            lo->have_prev = 1;
            lo->prev_pos = em->input_pos;
            lo->prev_line = (unsigned)em->line;
            lo->prev_col = (unsigned)em->column;
        }
        fy_parser_event_free(fyp, e);
        if (rc || lo->status != DCFG_OK || done)
            break;
    }
    if (lo->status != DCFG_OK)
        return;
    if (fy_parser_get_stream_error(fyp)) {
        /* libfyaml read letters where the text has tabs: one before its error is PyYAML's first */
        if (lo->tab_probe && dcfg__yaml_tab_scan(lo, error_offset(lo, diag)))
            return;
        /* `*a: w`, `- &a:]`: libfyaml read the name on and failed before giving it (yaml_names.c) */
        if (dcfg__yaml_name_guess(lo, error_offset(lo, diag)))
            return;
        if (lo->npct && dcfg__yaml_percent_unused(lo, error_offset(lo, diag)))
            return; /* libfyaml failed on a '%' line made a letter, or after it */
        dcfg__yaml_report_parser_errors(lo, diag);
        return;
    }
    if (!lo->json)
        dcfg__yaml_tab_scan(lo, lo->len);
}

/* Byte offset of line:col (1-based, columns in characters) in data. */
static size_t offset_of(const char *data, size_t len, unsigned line, unsigned col)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (unsigned l = 1; i < len && l < line; i++)
        if (data[i] == '\n')
            l++;
    for (unsigned c = 1; i < len && c < col && data[i] != '\n'; i++)
        if (((unsigned char)data[i] & 0xC0) != 0x80 && data[i] != '\r')
            c++;
    return i;
}

#ifdef DCFG_HAVE_FY_DEFAULT_DOCUMENT_STATE
int fy_parser_set_default_document_state(struct fy_parser *fyp, struct fy_document_state *fyds);
#endif

/* libfyaml resets the document state when the parser is created and at each
 * document end, and each reset builds the default tag directives anew (an
 * snprintf and an input per tag): a fifth of a small document's parse. Made
 * the parser's default, the state built at creation is copied instead, which
 * only takes references. Without the call, every reset builds it. */
static void share_default_document_state(struct fy_parser *fyp)
{
#ifdef DCFG_HAVE_FY_DEFAULT_DOCUMENT_STATE
    struct fy_document_state *ds = fy_parser_get_document_state(fyp);
    if (ds)
        (void)fy_parser_set_default_document_state(fyp, ds); /* on failure, resets build it */
#else
    (void)fyp;
#endif
}

static dcfg_status load_once(dcfg__node **root, const char *data, size_t len, dcfg__load *ld, int json,
                             int tab_probe, int *bad_tab, dcfg__yaml_edits *edits)
{
    dcfg__yaml_loader lo;
    struct fy_diag *diag = NULL;
    struct fy_parser *fyp = NULL;
    char *crlf_copy = NULL, *fy_copy = NULL;

    memset(&lo, 0, sizeof lo);
    lo.ld = ld;
    lo.al = ld->arena->al;
    dcfg__buf_init(&lo.text, lo.al);
    lo.data = data ? data : "";
    lo.len = data ? len : 0;
    lo.json = json;
    lo.tab_probe = tab_probe;
    lo.edits = json ? NULL : edits;
    lo.surr = edits;
    lo.status = DCFG_OK;
    *root = NULL;

    if (ld->limits.max_input_bytes && lo.len > ld->limits.max_input_bytes) {
        dcfg__yaml_limit_error(&lo, 0, 0, "input of %zu bytes exceeds the limit of %zu bytes", lo.len,
                               ld->limits.max_input_bytes);
        goto out;
    }
    if (dcfg__yaml_check_encoding(&lo))
        goto out;
    if (memchr(lo.data, '\r', lo.len)) {
        /* CRLF -> LF (same lines and columns): libfyaml 0.7.12 mis-folds a
         * quoted scalar whose closing quote follows a CRLF ("x\r\n" gives "x\n") */
        crlf_copy = dcfg__malloc(lo.al, lo.len);
        if (!crlf_copy) {
            dcfg__yaml_fail(&lo, DCFG_ENOMEM);
            goto out;
        }
        size_t k = 0;
        for (size_t i = 0; i < lo.len; i++)
            if (lo.data[i] != '\r' || i + 1 >= lo.len || lo.data[i + 1] != '\n')
                crlf_copy[k++] = lo.data[i];
        lo.data = crlf_copy;
        lo.len = k;
    }
    if (dcfg__yaml_check_flow(&lo) || (!json && dcfg__yaml_check_stream_start(&lo)))
        goto out;
    if (!json && dcfg__yaml_percent_find(&lo)) {
        dcfg__yaml_fail(&lo, DCFG_ENOMEM);
        goto out;
    }
    for (size_t k = 0; lo.edits && k < lo.edits->nnames; k++)
        lo.edits->name_used[k] = 0;

    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.output_fn = sink;
    dc.user = NULL;
    dc.colorize = false;
    diag = fy_diag_create(&dc);
    if (!diag) {
        dcfg__yaml_fail(&lo, DCFG_ENOMEM);
        goto out;
    }
    fy_diag_set_collect_errors(diag, true);

    struct fy_parse_cfg pc;
    memset(&pc, 0, sizeof pc);
    /* PyYAML ignores indentation inside flow collections and quoted scalars */
    pc.flags = (enum fy_parse_cfg_flags)(FYPCF_QUIET | FYPCF_DISABLE_DEPTH_LIMIT | FYPCF_SLOPPY_FLOW_INDENTATION |
                                         (json ? FYPCF_JSON_FORCE : (FYPCF_DEFAULT_VERSION_1_1 | FYPCF_JSON_NONE)));
    pc.diag = diag;
    fyp = fy_parser_create(&pc);
    if (fyp)
        share_default_document_state(fyp);
    const char *fy_text = lo.data;
    if (tab_probe || lo.npct || (edits && edits->nsurr) ||
        (lo.edits && (lo.edits->n || lo.edits->nletter || lo.edits->nempty || lo.edits->nnames))) {
        /* libfyaml reads a copy: rewritten block scalars (yaml_scalar.c), anchor
         * and alias names (yaml_names.c), '%' lines (yaml_percent.c), surrogate
         * escapes (yaml_quoted.c), tabs made letters */
        fy_copy = dcfg__malloc(lo.al, lo.len ? lo.len : 1);
        if (!fy_copy) {
            dcfg__yaml_fail(&lo, DCFG_ENOMEM);
            goto out;
        }
        if (lo.len)
            memcpy(fy_copy, lo.data, lo.len);
        for (size_t k = 0; lo.edits && k < lo.edits->n; k++)
            if (lo.edits->at[k] < lo.len)
                dcfg__yaml_block_rewrite(fy_copy, lo.data, lo.len, lo.edits->at[k], lo.edits->min_indent[k]);
        for (size_t k = 0; lo.edits && k < lo.edits->nletter; k++) {
            size_t at = offset_of(lo.data, lo.len, lo.edits->letter_line[k], lo.edits->letter_col[k]);
            if (at < lo.len && (lo.data[at] == '-' || lo.data[at] == ':'))
                fy_copy[at] = 'x'; /* plain scalars over it are read from the source (yaml_scalar.c) */
        }
        for (size_t k = 0; lo.edits && k < lo.edits->nempty; k++)
            if (lo.edits->empty_line[k] > 1)
                dcfg__yaml_empty_block_rewrite(fy_copy, lo.data, lo.len,
                                               offset_of(lo.data, lo.len, lo.edits->empty_line[k] - 1, 1));
        for (size_t k = 0; edits && k < edits->nsurr; k++) {
            size_t at = edits->surr_at[k], digits = at + 1 < lo.len && lo.data[at + 1] == 'u' ? 4 : 8;
            if (at + 2 + digits <= lo.len)
                memcpy(fy_copy + at + 2, digits == 4 ? "0041" : "00000041", digits);
        }
        if (lo.edits && lo.edits->nnames)
            dcfg__yaml_names_rewrite(fy_copy, lo.data, lo.len, lo.edits);
        for (size_t k = 0; k < lo.npct; k++)
            fy_copy[lo.pct[k]] = 'x';
        for (size_t i = 0; tab_probe && i < lo.len; i++)
            if (fy_copy[i] == '\t')
                fy_copy[i] = 'x';
        fy_text = fy_copy;
    }
    lo.fy_text = fy_text;
    lo.has_cr = memchr(lo.data, '\r', lo.len) != NULL;
    if (!fyp || fy_parser_set_string(fyp, fy_text, lo.len)) {
        dcfg__yaml_fail(&lo, DCFG_ENOMEM);
        goto out;
    }
    run_parser(&lo, fyp, diag);
    if (lo.status == DCFG_OK && !lo.have_root) {
        /* empty stream */
        lo.root = dcfg__mk(ld->arena, DCFG__NULL);
        if (!lo.root)
            dcfg__yaml_fail(&lo, DCFG_ENOMEM);
        else
            lo.root->line = lo.root->col = 1;
    }
    if (lo.status == DCFG_OK && (dcfg__yaml_names_unused(&lo) || dcfg__yaml_percent_unused(&lo, lo.len)))
        lo.status = DCFG_ESYNTAX;
    if (lo.status == DCFG_OK && lo.failed_dups)
        lo.status = DCFG_ESYNTAX;
    if (tab_probe && lo.status == DCFG_ESYNTAX && !lo.bad_tab) {
        /* PyYAML scans the whole text before it constructs: a tab up to here comes first */
        size_t to = lo.have_prev ? lo.prev_pos + 1 : lo.len;
        if (dcfg__yaml_find_tab(&lo, to) != (size_t)-1) {
            dcfg__diags_clear(ld->diags);
            lo.status = DCFG_OK;
            dcfg__yaml_tab_scan(&lo, to);
        }
    }

out:
    if (fyp)
        fy_parser_destroy(fyp);
    if (diag)
        fy_diag_destroy(diag);
    dcfg__free(lo.al, lo.frames);
    dcfg__free(lo.al, lo.items);
    dcfg__free(lo.al, lo.anchors);
    dcfg__free(lo.al, lo.ahash);
    dcfg__free(lo.al, lo.first_own);
    dcfg__free(lo.al, lo.khash);
    dcfg__free(lo.al, lo.merged);
    dcfg__free(lo.al, lo.mids);
    dcfg__free(lo.al, lo.flats);
    dcfg__free(lo.al, lo.fhash);
    dcfg__free(lo.al, lo.pct);
    dcfg__free(lo.al, lo.pct_used);
    dcfg__free(lo.al, crlf_copy);
    dcfg__free(lo.al, fy_copy);
    if (lo.tit)
        fy_token_iter_destroy(lo.tit);
    dcfg__buf_free(&lo.text);
    if (dcfg__diags_oom(ld->diags))
        lo.status = DCFG_ENOMEM;
    if (lo.status == DCFG_OK)
        *root = lo.root;
    *bad_tab = lo.bad_tab;
    return lo.status;
}

/* libfyaml 0.7.12 frees an indentation record twice after some tab errors
 * (`? y:<TAB>:` crashes fy_parser_destroy), so a text with tabs is first
 * read with each tab made a letter (which keeps quoted and block scalars
 * whole, where tabs are content), checking every tab against PyYAML's rules
 * in the original. A failure there is the result (libfyaml never sees the
 * tabs PyYAML rejects); a success means every tab is content or comment,
 * and the original is read again for the scalars' text. */
static dcfg_status load_checked(dcfg__node **root, const char *data, size_t len, dcfg__load *ld, int json,
                                dcfg__yaml_edits *edits)
{
    int bad_tab = 0;
    if (!json && data && memchr(data, '\t', len)) {
        dcfg_status rc = load_once(root, data, len, ld, json, 1, &bad_tab, edits);
        if (rc != DCFG_OK)
            return rc;
        dcfg__diags_clear(ld->diags); /* the probe's nodes stay in the arena until it is freed */
        *root = NULL;
    }
    return load_once(root, data, len, ld, json, 0, &bad_tab, edits);
}

/* Offset of the '#' of a comment libfyaml refused for want of a space
 * before it, from the first diagnostic; (size_t)-1 when it is not that. */
static size_t refused_comment(const dcfg_diags *d, const char *data, size_t len)
{
    static const char *const after[] = { "end of flow sequence", "end of flow mapping", "comma",
                                         "double-quoted scalar", "single-quoted scalar" };
    const dcfg_diag *g = dcfg_diags_at(d, 0);
    const char *msg = g ? dcfg_diag_message(g) : "";
    int known = 0;
    for (size_t i = 0; i < sizeof after / sizeof *after; i++)
        known |= !strncmp(msg, "invalid comment", 15) && strstr(msg, after[i]) != NULL;
    if (!known)
        return (size_t)-1; /* `>#c` is PyYAML's error too */
    size_t at = offset_of(data, len, dcfg_diag_line(g), dcfg_diag_column(g));
    return at < len && data[at] == '#' ? at : (size_t)-1;
}

/* PyYAML reads a `-` before a flow indicator (`[-]`, `[-, -]`, `{a: -}`) as
 * the plain scalar "-"; libfyaml refuses it ("plain scalar cannot start with
 * '-' followed by ,[]{}"). The position of such a refused `-`, or 0. */
static int refused_dash(const dcfg_diags *d, const char *data, size_t len, unsigned *line, unsigned *col)
{
    const dcfg_diag *g = dcfg_diags_at(d, 0);
    const char *msg = g ? dcfg_diag_message(g) : "";
    if (strncmp(msg, "plain scalar cannot start with '-' followed by", 46) != 0)
        return 0;
    size_t at = offset_of(data, len, dcfg_diag_line(g), dcfg_diag_column(g));
    if (at >= len || data[at] != '-' || at + 1 >= len || !strchr(",]}", data[at + 1]))
        return 0;
    *line = dcfg_diag_line(g);
    *col = dcfg_diag_column(g);
    return 1;
}

/* PyYAML starts a plain scalar at a line's `:x` (':' then no blank) after
 * a multi-line plain scalar (`a: b\n  c\n:x: y` is {a: 'b c', ':x': y});
 * libfyaml takes that ':' for a value indicator and refuses the scalar
 * before it as a multi-line key, reported at the scalar. The position of
 * the first such line start after the scalar (and after `from`, the last
 * one tried: a line inside the scalar may start so too), or 0. The scan
 * stops at a value indicator, which makes the key multi-line for PyYAML too. */
static int refused_colon(const dcfg_diags *d, const char *data, size_t len, size_t from, unsigned *line,
                         unsigned *col)
{
    const dcfg_diag *g = dcfg_diags_at(d, 0);
    const char *msg = g ? dcfg_diag_message(g) : "";
    if (strncmp(msg, "invalid multiline plain key", 27) != 0)
        return 0;
    size_t i = offset_of(data, len, dcfg_diag_line(g), dcfg_diag_column(g));
    unsigned l = dcfg_diag_line(g);
    for (; i < len; i++) {
        char c = data[i];
        int blank_after = i + 1 >= len || data[i + 1] == ' ' || data[i + 1] == '\t' || data[i + 1] == '\n' ||
                          data[i + 1] == '\r';
        if (c == '\n') {
            l++;
        } else if (c == '#' && i > 0 && (data[i - 1] == ' ' || data[i - 1] == '\n')) {
            while (i + 1 < len && data[i + 1] != '\n')
                i++;
        } else if (c == ':' && blank_after) {
            return 0;
        } else if (c == ':' && i > from) {
            size_t b = i;
            while (b > 0 && data[b - 1] == ' ')
                b--;
            if (b > 0 && data[b - 1] == '\n') {
                *line = l;
                *col = (unsigned)(i - b) + 1;
                return 1;
            }
        }
    }
    return 0;
}

/* The line libfyaml reports for an empty block scalar it refuses for a less
 * indented comment (yaml_scalar.c), or 0. */
static unsigned refused_empty_block(const dcfg_diags *d)
{
    const dcfg_diag *g = dcfg_diags_at(d, 0);
    const char *msg = g ? dcfg_diag_message(g) : "";
    return strcmp(msg, "empty block scalar with wrongly indented comment line after spaces only") == 0
               ? dcfg_diag_line(g)
               : 0;
}

/* The code point of the \u or \U escape whose backslash is data[at], or 0. */
static unsigned long hex_escape(const char *data, size_t len, size_t at)
{
    if (at + 2 >= len || data[at] != '\\' || (data[at + 1] != 'u' && data[at + 1] != 'U'))
        return 0;
    size_t digits = data[at + 1] == 'u' ? 4 : 8;
    unsigned long cp = 0;
    for (size_t k = 0; k < digits; k++) {
        char c = at + 2 + k < len ? data[at + 2 + k] : 0;
        if (!is_hex(c) || cp > 0x10FFFF)
            return 0;
        cp = cp << 4 | (unsigned long)hex_val(c);
    }
    return cp;
}

/* The offset of a \u or \U escape of a surrogate (D800..DFFF) that libfyaml
 * refused, from the first diagnostic: "invalid UTF8 escape" at the escape,
 * or "Invalid low surrogate value" at the \u escape after a high one (not a
 * low one: the high one is meant). (size_t)-1 when it is not that. PyYAML
 * reads such an escape as a lone surrogate (yaml_quoted.c). */
static size_t refused_surrogate(const dcfg_diags *d, const char *data, size_t len)
{
    const dcfg_diag *g = dcfg_diags_at(d, 0);
    const char *msg = g ? dcfg_diag_message(g) : "";
    int after_high = !strcmp(msg, "Invalid low surrogate value");
    if (!after_high && strcmp(msg, "double-quoted scalar has invalid UTF8 escape") != 0)
        return (size_t)-1;
    size_t at = offset_of(data, len, dcfg_diag_line(g), dcfg_diag_column(g));
    if (after_high) {
        if (at < 6 || !hex_escape(data, len, at))
            return (size_t)-1;
        at -= 6;
    }
    unsigned long cp = hex_escape(data, len, at);
    return cp >= 0xD800 && cp <= 0xDFFF ? at : (size_t)-1;
}

/* The offset in the text load_once reads (CRLF made LF) of data[at]. */
static size_t lf_offset(const char *data, size_t at)
{
    size_t crlf = 0;
    for (const char *p = data, *end = data + at; (p = memchr(p, '\r', (size_t)(end - p))) != NULL; p++)
        crlf += p + 1 < end && p[1] == '\n';
    return at - crlf;
}

static int seen_line(const unsigned *lines, size_t n, unsigned line, const unsigned *cols, unsigned col)
{
    for (size_t k = 0; k < n; k++)
        if (lines[k] == line && (!cols || cols[k] == col))
            return 1;
    return 0;
}

/* PyYAML takes a comment wherever a token may start, so `"v"#c`, `[a]#c`
 * and `a,#c` end in comments; libfyaml wants a space before the '#'. Each
 * such comment libfyaml refuses is blanked (same length, so positions stay)
 * and the text read again, a bounded number of times. A block scalar
 * libfyaml ended before its text is read again the same way (`edits`). */
#define MAX_COMMENT_RETRIES 64

dcfg_status dcfg__yaml_load(dcfg__node **root, const char *data, size_t len, dcfg__load *ld, int json)
{
    dcfg__load ld16;
    char *utf8 = NULL;
    *root = NULL;
    size_t utf8_len = 0;
    if (!json && data) {
        dcfg_status st = dcfg__yaml_from_utf16(ld, data, len, &utf8, &utf8_len);
        if (st != DCFG_OK)
            return st;
        if (utf8) {
            /* the input limit was checked on the UTF-16 bytes; their UTF-8 may be longer */
            ld16 = *ld;
            if (ld16.limits.max_input_bytes && utf8_len > ld16.limits.max_input_bytes)
                ld16.limits.max_input_bytes = utf8_len;
            ld = &ld16;
            data = utf8;
            len = utf8_len;
        }
    }
    dcfg__yaml_edits edits;
    edits.n = 0;
    edits.want = 0;
    edits.nletter = 0;
    edits.nempty = 0;
    edits.nsurr = 0;
    edits.nnames = 0;
    edits.name_guessed = 0;
    edits.no_guess = 0;
    dcfg_status rc = load_checked(root, data, len, ld, json, &edits);
    char *edited = NULL;
    size_t last_colon = 0;
    for (int tries = 0; rc == DCFG_ESYNTAX && data && tries < MAX_COMMENT_RETRIES; tries++) {
        unsigned dl, dc, el;
        size_t sa;
        if (edits.want) {
            edits.want = 0; /* yaml_scalar.c or yaml_names.c added what to rewrite */
        } else if (edits.name_guessed && !edits.name_used[edits.name_guessed - 1]) {
            /* a name found in the text that the copy's reading did not meet: not one */
            for (size_t k = edits.name_guessed; k < edits.nnames; k++) {
                edits.name_at[k - 1] = edits.name_at[k];
                edits.name_end[k - 1] = edits.name_end[k];
                edits.name_kind[k - 1] = edits.name_kind[k];
            }
            edits.nnames--;
            edits.name_guessed = 0;
            edits.no_guess = 1;
        } else if ((sa = refused_surrogate(ld->diags, edited ? edited : data, len)) != (size_t)-1) {
            sa = lf_offset(data, sa); /* the copy and the scalar's reading are of the CRLF-free text */
            int seen = edits.nsurr >= DCFG__MAX_BLOCK_EDITS;
            for (size_t k = 0; k < edits.nsurr; k++)
                seen |= edits.surr_at[k] == sa;
            if (seen)
                break; /* too many, or the rewrite did not take */
            edits.surr_at[edits.nsurr++] = sa;
        } else if (json) {
            break;
        } else if (edits.nletter < DCFG__MAX_BLOCK_EDITS &&
                   (refused_dash(ld->diags, edited ? edited : data, len, &dl, &dc) ||
                    refused_colon(ld->diags, edited ? edited : data, len, last_colon, &dl, &dc))) {
            size_t at = offset_of(data, len, dl, dc);
            if (at < len && data[at] == ':')
                last_colon = at;
            if (seen_line(edits.letter_line, edits.nletter, dl, edits.letter_col, dc))
                break; /* the rewrite did not take */
            edits.letter_line[edits.nletter] = dl;
            edits.letter_col[edits.nletter++] = dc;
        } else if (edits.nempty < DCFG__MAX_BLOCK_EDITS && (el = refused_empty_block(ld->diags)) != 0) {
            if (seen_line(edits.empty_line, edits.nempty, el, NULL, 0))
                break;
            edits.empty_line[edits.nempty++] = el;
        } else {
            size_t at = refused_comment(ld->diags, edited ? edited : data, len);
            if (at == (size_t)-1)
                break;
            if (!edited) {
                if (!(edited = dcfg__malloc(ld->arena->al, len))) {
                    rc = DCFG_ENOMEM;
                    break;
                }
                memcpy(edited, data, len);
            }
            while (at < len && edited[at] != '\n' && edited[at] != '\r')
                edited[at++] = ' ';
        }
        dcfg__diags_clear(ld->diags);
        rc = load_checked(root, edited ? edited : data, len, ld, json, &edits);
    }
    dcfg__free(ld->arena->al, edited);
    dcfg__free(ld->arena->al, utf8);
    return rc;
}
