/* Lines that start with '%' after the directives at the start of a stream.
 * PyYAML's scanner looks for a directive only where a token may start
 * (check_directive: '%' at column 0), so inside a plain scalar that goes
 * on over several lines (at the document's top level, or in a flow
 * collection, where lines may start at column 0) and inside a quoted
 * scalar such a line is text: "scalar\n%YAML 1.2" is "scalar %YAML 1.2".
 * libfyaml ends a plain scalar there and reads a directive. Anywhere else
 * the line is a directive, which ends the document, and safe_load takes one
 * document only: an error (libfyaml drops `%x` after a document silently).
 * libfyaml reads a copy where each such '%' is a letter (yaml_load.c); a
 * scalar that starts before the line and takes it in has it as text, and a
 * plain one is then read from the source; any other is a directive. */
#include "read/yaml_loader.h"

/* Records the '%' line starts after the stream's leading blank, comment and
 * directive lines (yaml_checks.c checks those). -1 when out of memory. */
int dcfg__yaml_percent_find(dcfg__yaml_loader *lo)
{
    const char *s = lo->data;
    size_t n = lo->len, i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (!memchr(s, '%', n))
        return 0;
    for (;;) { /* the prologue */
        size_t j = i;
        while (j < n && s[j] == ' ')
            j++;
        if (j < n && (s[j] == '#' || (j == i && s[j] == '%')))
            while (j < n && s[j] != '\n' && s[j] != '\r')
                j++;
        if (j >= n || (s[j] != '\n' && s[j] != '\r'))
            break;
        i = j + 1;
    }
    size_t count = 0;
    for (size_t p = i + 1; p < n; p++)
        if (s[p] == '%' && (s[p - 1] == '\n' || s[p - 1] == '\r'))
            count++;
    if (!count)
        return 0;
    lo->pct = dcfg__malloc(lo->al, count * sizeof *lo->pct);
    lo->pct_used = dcfg__malloc(lo->al, count);
    if (!lo->pct || !lo->pct_used)
        return -1;
    memset(lo->pct_used, 0, count);
    for (size_t p = i + 1; p < n; p++)
        if (s[p] == '%' && (s[p - 1] == '\n' || s[p - 1] == '\r'))
            lo->pct[lo->npct++] = p;
    return 0;
}

static int directive_error(dcfg__yaml_loader *lo, size_t p)
{
    unsigned line = 0, col = 0;
    dcfg__yaml_advance_mark(lo->data, 0, p, &line, &col);
    dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line + 1, col + 1, 0, 0,
                        "a line starting with '%%' is a directive (PyYAML takes it as text only inside a scalar "
                        "that goes on over it), and a directive ends the document, but a configuration is one "
                        "document; hint: indent the line, or quote the value");
    dcfg__yaml_fail(lo, DCFG_ESYNTAX);
    return -1;
}

/* A scalar event: a '%' line it starts on is a directive; one it goes on
 * over is text, which the scalar's reader takes from the source, where the
 * copy libfyaml reads has a letter (yaml_scalar.c, yaml_quoted.c). -1 after
 * reporting a directive, 0 otherwise. */
int dcfg__yaml_percent_scalar(dcfg__yaml_loader *lo, struct fy_event *e)
{
    const struct fy_mark *sm = fy_token_start_mark(e->scalar.value), *em = fy_token_end_mark(e->scalar.value);
    if (!sm || !em || em->input_pos > lo->len || sm->input_pos > em->input_pos)
        return 0;
    enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
    size_t a = sm->input_pos, z = em->input_pos;
    int block = style == FYSS_LITERAL || style == FYSS_FOLDED;
    for (size_t k = 0; k < lo->npct; k++) {
        size_t p = lo->pct[k];
        if (p < a || p >= z)
            continue;
        if (p == a || block) /* a block scalar's text is indented: never at column 0 */
            return directive_error(lo, p);
        lo->pct_used[k] = 1;
    }
    return 0;
}

/* A '%' line before offset `to` that no scalar took in is a directive: -1
 * after reporting it. After a reading without errors `to` is the end; after
 * libfyaml's error, its position (its message would be about the letter). */
int dcfg__yaml_percent_unused(dcfg__yaml_loader *lo, size_t to)
{
    for (size_t k = 0; k < lo->npct && lo->pct[k] <= to; k++)
        if (!lo->pct_used[k])
            return directive_error(lo, lo->pct[k]);
    return 0;
}
