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
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "fmt.h"

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
    /* the YAML reader decodes UTF-16 with a BOM, as PyYAML does, but fmt writes
     * UTF-8 and reads the layout and comments byte by byte: refuse rather than
     * change a file's encoding */
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
        fprintf(stderr, "dstackcfg: %s: not formatted: it is UTF-16, and fmt writes UTF-8; hint: convert it "
                        "first (iconv -f UTF-16 -t UTF-8)\n", file);
        return EXIT_INVALID;
    }
    int json = o->co.input_format == DCFG_FORMAT_JSON ||
               (o->co.input_format == DCFG_FORMAT_AUTO && (cli_ends_with(file, ".json") || dcfg_detect_format(data, len) == DCFG_FORMAT_JSON));
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
    fmt_buf res = { 0 };
    int rc = EXIT_VALID;
    fmt_layout l;
    memset(&l, 0, sizeof l);
    if (!json && memchr(data, '#', len)) {
        if (fmt_analyse(data, len, &l)) {
            fprintf(stderr, "dstackcfg: %s: not formatted: it may have comments and fmt could not read its layout to keep them\n", file);
            rc = EXIT_INVALID;
        } else if (l.has_comments && fmt_merge_comments(&l, text, tlen, &res)) {
            fprintf(stderr, "dstackcfg: %s: not formatted: it has comments and its top level is not a block mapping, so fmt cannot keep them\n", file);
            rc = EXIT_INVALID;
        }
    }
    if (rc == EXIT_VALID && !l.has_comments) {
        fmt_buf_putn(&res, text, tlen);
        if (!res.len || res.p[res.len - 1] != '\n')
            fmt_buf_putn(&res, "\n", 1);
    }
    fmt_layout_free(&l);
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
        else {
            if ((first_file = cli_first_operand(argv, i)) < 0)
                goto usage;
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
        char *data = cli_read_all(file, &len);
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
            if (!same && cli_write_atomically(file, out, out_len)) {
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
