/* Anchor and alias names where PyYAML's scan_anchor ends them. PyYAML's
 * names are ASCII letters, digits, '-' and '_', and end at the first other
 * character; libfyaml (YAML 1.2) reads on over ':' and '?'. So `*a: w` is
 * the alias `a` as a key, `{*a:1}` and `&a: x` the same with an alias and
 * an anchored empty key, and `&an:chor value` the anchor `an` on the plain
 * scalar ":chor value" (`&a?x`: "?x"), where libfyaml reads the names
 * "a:", "a:1", "an:chor". Such a name is read again with libfyaml given a
 * copy of the input (yaml_load.c) where it is
 *  - before a value indicator: a double-quoted scalar of the same extent
 *    (`""` for `*a`), which the loader takes for the alias, or for an empty
 *    plain scalar with the anchor;
 *  - before a plain scalar: a `!` tag and blanks (blanks after a tag), the
 *    anchor then going to the scalar that starts where the name ended.
 * Offsets, lines and columns all stay. Names come from events; a name on
 * which libfyaml fails before its event (`*a: w`, `- &a:]`) is found in the
 * text before the error, and kept only if the copy's reading meets it. */
#include "read/yaml_loader.h"

/* PyYAML's '\0 \t\r\n\x85\u2028\u2029' (what may follow a value indicator). */
static int blank_or_end(const char *s, size_t n, size_t i)
{
    return i >= n || s[i] == ' ' || s[i] == '\t' || dcfg__yaml_break_len((const unsigned char *)s, n, i);
}

static int name_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

/* Asks for the name at `at` (PyYAML's ends at `end`) to be read again as
 * `kind`: -1 after asking or reporting, 0 when it was read so already. */
static int add_name(dcfg__yaml_loader *lo, size_t at, size_t end, int kind, int guessed, unsigned line,
                    unsigned col)
{
    dcfg__yaml_edits *ed = lo->edits;
    if (!ed)
        return 0;
    for (size_t k = 0; k < ed->nnames; k++)
        if (ed->name_at[k] == at)
            return 0; /* the copy has it already: libfyaml's answer stands */
    if (ed->nnames >= DCFG__MAX_BLOCK_EDITS) {
        /* each one costs a reading of the whole input: bounded */
        dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line, col, 0, 0,
                            "more than %d anchor or alias names right before ':' or '?' (not supported); hint: "
                            "put a space after the name",
                            DCFG__MAX_BLOCK_EDITS);
    } else {
        ed->name_at[ed->nnames] = at;
        ed->name_end[ed->nnames] = end;
        ed->name_kind[ed->nnames] = (unsigned char)kind;
        ed->name_used[ed->nnames] = 0;
        ed->nnames++;
        if (guessed)
            ed->name_guessed = ed->nnames;
        ed->want = 1; /* this diagnostic is dropped when the input is read again */
        dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line, col, 0, 0,
                            "anchor or alias name right before ':' or '?'");
    }
    dcfg__yaml_fail(lo, DCFG_ESYNTAX);
    return -1;
}

/* A name libfyaml read on past PyYAML's end: the `&`/`*` at `at`, i name
 * characters, then the ':' or '?' at end = at + 1 + i. -1 after asking for
 * the name to be read again or reporting PyYAML's error. */
int dcfg__yaml_name_end(dcfg__yaml_loader *lo, size_t at, size_t i, int alias, int tagged, unsigned line,
                        unsigned col)
{
    const char *s = lo->data;
    size_t end = at + 1 + i, n = lo->len;
    int flow = lo->nframes && !lo->frames[lo->nframes - 1].block;
    /* check_value: any ':' in a flow collection, ':' and a blank in a block one */
    int value = s[end] == ':' && (flow || blank_or_end(s, n, end + 1));
    /* check_plain: ':' or '?' and a non-blank start a plain scalar in block context */
    int plain = !alias && !flow && !blank_or_end(s, n, end + 1);
    int kind = value ? DCFG__NAME_QUOTED : plain ? (tagged ? DCFG__NAME_AFTER_TAG : DCFG__NAME_PLAIN) : 0;
    if (kind && lo->edits && add_name(lo, at, end, kind, 0, line, col))
        return -1;
    if (lo->status != DCFG_OK)
        return -1;
    unsigned ecol = col ? col + 1 + (unsigned)i : 0;
    if (s[end] == '?')
        dcfg__yaml_construct_error(lo, line, ecol, 1,
                                   "'?' right after the %s name \"%.*s\": PyYAML ends the name there and reads a key "
                                   "indicator, which cannot follow it; hint: put a space after the name",
                                   alias ? "alias" : "anchor", (int)(i > 60 ? 60 : i), s + at + 1);
    else
        dcfg__yaml_construct_error(lo, line, ecol, 1,
                                   "':' right after the %s name \"%.*s\": PyYAML ends the name there, and a %s "
                                   "cannot follow it; hint: put a space after the name, or quote the value",
                                   alias ? "alias" : "anchor", (int)(i > 60 ? 60 : i), s + at + 1,
                                   alias ? "scalar" : "value indicator");
    return -1;
}

/* The copy libfyaml reads: each name as its kind says (see the top). */
void dcfg__yaml_names_rewrite(char *copy, const char *s, size_t n, const dcfg__yaml_edits *ed)
{
    for (size_t k = 0; k < ed->nnames; k++) {
        size_t at = ed->name_at[k], end = ed->name_end[k];
        if (end > n || end < at + 2 || (s[at] != '&' && s[at] != '*'))
            continue;
        if (ed->name_kind[k] == DCFG__NAME_QUOTED) {
            copy[at] = '"';
            copy[end - 1] = '"';
        } else {
            for (size_t i = at; i < end; i++)
                copy[i] = ' ';
            if (ed->name_kind[k] == DCFG__NAME_PLAIN)
                copy[at] = '!'; /* keeps the node's start: a key's column is its mapping's */
        }
    }
}

/* A scalar event that stands for a name edit: the alias, or the scalar with
 * its anchor. 1 when read, 0 when it is no such event, -1 after an error. */
int dcfg__yaml_name_event(dcfg__yaml_loader *lo, struct fy_event *e)
{
    dcfg__yaml_edits *ed = lo->edits;
    const struct fy_mark *sm = fy_token_start_mark(e->scalar.value), *em = fy_token_end_mark(e->scalar.value);
    if (!ed || !sm || !em || sm->input_pos > lo->len)
        return 0;
    enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
    size_t pos = sm->input_pos;
    for (size_t k = 0; k < ed->nnames; k++) {
        size_t at = ed->name_at[k], end = ed->name_end[k];
        int quoted = ed->name_kind[k] == DCFG__NAME_QUOTED;
        if (quoted ? style != FYSS_DOUBLE_QUOTED || pos != at + 1 || em->input_pos + 1 != end
                   : style != FYSS_PLAIN || pos != end)
            continue;
        ed->name_used[k] = 1;
        unsigned line = (unsigned)sm->line + 1;
        unsigned col = (unsigned)sm->column + 1 - (unsigned)(pos - at); /* the name is ASCII */
        int rc;
        if (lo->data[at] == '*') {
            if (fy_event_get_anchor_token(e) || fy_event_get_tag_token(e)) {
                /* PyYAML's parser: "expected the node content, but found '<alias>'" */
                dcfg__yaml_construct_error(lo, line, col, 1,
                                           "an alias cannot have an anchor or a tag (PyYAML expects the node "
                                           "content, but finds an alias)");
                return -1;
            }
            rc = dcfg__yaml_check_value_indent(lo, line, col, 0) ||
                 dcfg__yaml_alias(lo, lo->data + at + 1, end - at - 1, line, col);
        } else {
            lo->src_anchor = lo->data + at + 1;
            lo->src_anchor_len = end - at - 1;
            lo->src_anchor_line = line;
            lo->src_anchor_col = col;
            lo->renamed = quoted;
            lo->fake_tag = ed->name_kind[k] == DCFG__NAME_PLAIN;
            rc = dcfg__yaml_on_scalar(lo, e);
            lo->src_anchor = NULL;
            lo->renamed = lo->fake_tag = 0;
        }
        return rc ? -1 : 1;
    }
    return 0;
}

/* libfyaml fails on some such names before it gives their event (`*a: w`:
 * "could not find expected ':'"; `- &a:]`: the ']' closes nothing): the
 * first `*name:` or `&name:`/`&name?` in the text from the last event up to
 * the end of the error's line is read again as a name, once (yaml_load.c
 * drops the guess when the copy's reading does not meet it). 1 after
 * asking, 0 otherwise. */
int dcfg__yaml_name_guess(dcfg__yaml_loader *lo, size_t to)
{
    dcfg__yaml_edits *ed = lo->edits;
    if (!ed || ed->no_guess || lo->json)
        return 0;
    const char *s = lo->data;
    size_t n = lo->len;
    while (to < n && s[to] != '\n' && s[to] != '\r')
        to++;
    int flow = lo->nframes && !lo->frames[lo->nframes - 1].block; /* as far as the events went */
    unsigned line = lo->have_prev ? lo->prev_line : 0, col = lo->have_prev ? lo->prev_col : 0;
    size_t from = lo->have_prev ? lo->prev_pos : 0;
    for (size_t i = from; i < to && i < n; i++) {
        int token_start = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' || s[i - 1] == '\r' ||
                          s[i - 1] == '[' || s[i - 1] == '{' || s[i - 1] == ',';
        if (s[i] == '#' && token_start) {
            while (i + 1 < n && s[i + 1] != '\n' && s[i + 1] != '\r')
                i++;
            continue;
        }
        if ((s[i] != '*' && s[i] != '&') || !token_start)
            continue;
        size_t j = i + 1;
        while (j < n && name_char(s[j]))
            j++;
        if (j == i + 1 || j >= n || (s[j] != ':' && s[j] != '?'))
            continue;
        int kind = 0;
        if (s[j] == ':' && (flow || blank_or_end(s, n, j + 1))) {
            kind = DCFG__NAME_QUOTED;
        } else if (s[i] == '&' && !flow && !blank_or_end(s, n, j + 1)) {
            /* a tag before it, maybe on an earlier line: `!!str &a:]` */
            size_t b = i;
            while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r'))
                b--;
            while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '\t' && s[b - 1] != '\n' && s[b - 1] != '\r')
                b--;
            kind = s[b] == '!' && b < i ? DCFG__NAME_AFTER_TAG : DCFG__NAME_PLAIN;
        }
        if (!kind)
            continue;
        for (size_t k = 0; k < ed->nnames; k++)
            if (ed->name_at[k] == i)
                return 0;
        dcfg__yaml_advance_mark(s, from, i, &line, &col);
        return add_name(lo, i, j, kind, 1, line + 1, col + 1) != 0;
    }
    return 0;
}

/* After a reading without errors: a name edit the reading did not meet
 * would lose an anchor or an alias. -1 after reporting. */
int dcfg__yaml_names_unused(dcfg__yaml_loader *lo)
{
    const dcfg__yaml_edits *ed = lo->edits;
    for (size_t k = 0; ed && k < ed->nnames; k++) {
        if (ed->name_used[k])
            continue;
        unsigned line = 0, col = 0;
        dcfg__yaml_advance_mark(lo->data, 0, ed->name_at[k], &line, &col);
        dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line + 1, col + 1, 0, 0,
                            "this %s name right before '%c' cannot be read as PyYAML reads it (not supported); "
                            "hint: put a space after the name",
                            lo->data[ed->name_at[k]] == '*' ? "alias" : "anchor", lo->data[ed->name_end[k]]);
        dcfg__yaml_fail(lo, DCFG_ESYNTAX);
        return -1;
    }
    return 0;
}
