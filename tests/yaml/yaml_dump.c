/* The YAML differential harness's C side: loads one YAML file through the
 * library's reader (not the schema) and prints the value as tagged JSON,
 * the form tests/yaml/differential.py builds from PyYAML's safe_load:
 *   ["null"] ["bool", b] ["int", "digits"] ["float", "%.17g"] ["str", s]
 *   ["timestamp", source] ["seq", [...]] ["map", [[k, v], ...]]
 *   ["set", [...]] (a !!set's members, in document order) ["tuple", [k, v]]
 * Aliases and merge keys arrive resolved. A rejected document prints
 * {"error": ..., "line": L, "column": C} and exits 1. Test-only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "read/read.h"

/* ["binary", "<base64>"]: the bytes of a !!binary, as the harness's Python side writes them */
static void put_base64(dcfg__buf *b, const unsigned char *s, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    dcfg__buf_puts(b, "[\"binary\",\"");
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
        dcfg__buf_putc(b, abc[v >> 18 & 63]);
        dcfg__buf_putc(b, abc[v >> 12 & 63]);
        dcfg__buf_putc(b, i + 1 < n ? abc[v >> 6 & 63] : '=');
        dcfg__buf_putc(b, i + 2 < n ? abc[v & 63] : '=');
    }
    dcfg__buf_puts(b, "\"]");
}

static void dump(dcfg__buf *b, const dcfg__node *n)
{
    switch (n->type) {
    case DCFG__NULL:
        dcfg__buf_puts(b, "[\"null\"]");
        break;
    case DCFG__BOOL:
        dcfg__buf_puts(b, n->v.b ? "[\"bool\",true]" : "[\"bool\",false]");
        break;
    case DCFG__INT:
        if (n->flags & DCFG__NF_BIGINT) {
            dcfg__buf_puts(b, "[\"int\",");
            dcfg__json_string(b, n->str, n->len);
            dcfg__buf_putc(b, ']');
        } else {
            dcfg__buf_printf(b, "[\"int\",\"%lld\"]", n->v.i);
        }
        break;
    case DCFG__FLOAT:
        dcfg__buf_printf(b, "[\"float\",\"%.17g\"]", n->v.f);
        break;
    case DCFG__STR:
        if (n->flags & DCFG__NF_BINARY) {
            put_base64(b, (const unsigned char *)n->str, n->len);
            break;
        }
        dcfg__buf_puts(b, n->flags & DCFG__NF_TIMESTAMP ? "[\"timestamp\"," : "[\"str\",");
        dcfg__json_string(b, n->str, n->len);
        dcfg__buf_putc(b, ']');
        break;
    case DCFG__SEQ:
        dcfg__buf_puts(b, n->flags & DCFG__NF_SET     ? "[\"set\",["
                          : n->flags & DCFG__NF_TUPLE ? "[\"tuple\",["
                                                      : "[\"seq\",[");
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                dcfg__buf_putc(b, ',');
            dump(b, n->kids[i]);
        }
        dcfg__buf_puts(b, "]]");
        break;
    case DCFG__MAP:
        dcfg__buf_puts(b, "[\"map\",[");
        for (size_t i = 0; i < n->n; i++) {
            dcfg__buf_puts(b, i ? ",[" : "[");
            dump(b, DCFG__KEY(n, i));
            dcfg__buf_putc(b, ',');
            dump(b, DCFG__VAL(n, i));
            dcfg__buf_putc(b, ']');
        }
        dcfg__buf_puts(b, "]]");
        break;
    default:
        dcfg__buf_puts(b, "[\"?\"]");
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: yaml-dump FILE\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    dcfg__buf text;
    dcfg__buf_init(&text, &dcfg__default_allocator);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        dcfg__buf_putn(&text, chunk, k);
    fclose(f);
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg_diags *d = dcfg__diags_new(&dcfg__default_allocator, argv[1]);
    dcfg__load ld = { .arena = &a, .diags = d, .limits = { 1u << 26, 64, 1u << 20, 1u << 26 } };
    dcfg__node *root = NULL;
    dcfg_status rc = dcfg__yaml_load(&root, text.p ? text.p : "", text.len, &ld, 0);
    dcfg__buf out;
    dcfg__buf_init(&out, &dcfg__default_allocator);
    const dcfg_diag *first = NULL;
    for (size_t i = 0; i < dcfg_diags_count(d) && !first; i++)
        if (dcfg_diag_severity(dcfg_diags_at(d, i)) == DCFG_SEVERITY_ERROR)
            first = dcfg_diags_at(d, i);
    if (rc == DCFG_OK && root) {
        dump(&out, root);
    } else {
        dcfg__buf_puts(&out, "{\"error\":");
        const char *msg = first ? dcfg_diag_message(first) : "rejected without a diagnostic";
        dcfg__json_string(&out, msg, strlen(msg));
        dcfg__buf_printf(&out, ",\"code\":\"%s\",\"line\":%u,\"column\":%u}",
                         first ? dcfg_diag_code_name(dcfg_diag_code_of(first)) : "none",
                         first ? dcfg_diag_line(first) : 0, first ? dcfg_diag_column(first) : 0);
    }
    fwrite(out.p, 1, out.len, stdout);
    putchar('\n');
    int ok = rc == DCFG_OK && root;
    dcfg__buf_free(&out);
    dcfg__buf_free(&text);
    dcfg_diags_free(d);
    dcfg__arena_free(&a);
    return ok ? 0 : 1;
}
