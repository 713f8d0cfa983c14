/* dstackcfg diff OLD NEW: what changed and how dstack applies it, grouped by
 * update class, the verdict last. Exit 0 nothing changed, 1 changed, 2 errors. */
#include <errno.h>
#include <string.h>
#include "cli.h"

static const char *const headings[] = {
    NULL, "in place", "rolling deployment", "restart (stop the run and apply again)",
};

static void put_json_string(const char *s)
{
    fputc('"', stdout);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else if (cli_surrogate_at(s)) {
            printf("\\u%04x", cli_surrogate_at(s));
            s += 2;
        } else
            fputc(ch, stdout);
    }
    fputc('"', stdout);
}

static void print_json(const dcfg_diff *d)
{
    fputs("{\"changes\":[", stdout);
    for (size_t i = 0; i < dcfg_diff_count(d); i++) {
        const dcfg_change *c = dcfg_diff_at(d, i);
        fputs(i ? ",{\"path\":" : "{\"path\":", stdout);
        put_json_string(dcfg_change_path(c));
        printf(",\"class\":\"%s\"", dcfg_update_class_name(dcfg_change_class(c)));
        /* a missing side means the key is absent there (a map member added or removed) */
        if (dcfg_change_old(c))
            printf(",\"old\":%s", dcfg_change_old(c));
        if (dcfg_change_new(c))
            printf(",\"new\":%s", dcfg_change_new(c));
        if (dcfg_change_reason(c)) {
            fputs(",\"reason\":", stdout);
            put_json_string(dcfg_change_reason(c));
        }
        fputc('}', stdout);
    }
    printf("],\"verdict\":\"%s\"}\n", dcfg_update_class_name(dcfg_diff_verdict(d)));
}

static void print_text(const dcfg_diff *d)
{
    for (int cls = DCFG_UPDATE_IN_PLACE; cls <= DCFG_UPDATE_RESTART; cls++) {
        int header = 0;
        for (size_t i = 0; i < dcfg_diff_count(d); i++) {
            const dcfg_change *c = dcfg_diff_at(d, i);
            if ((int)dcfg_change_class(c) != cls)
                continue;
            if (!header++)
                printf("%s:\n", headings[cls]);
            printf("  %s: %s -> %s\n", dcfg_change_path(c), dcfg_change_old(c) ? dcfg_change_old(c) : "(absent)",
                   dcfg_change_new(c) ? dcfg_change_new(c) : "(absent)");
            if (dcfg_change_reason(c))
                printf("    (%s)\n", dcfg_change_reason(c));
        }
    }
    dcfg_update_class v = dcfg_diff_verdict(d);
    printf("verdict: %s\n", v == DCFG_UPDATE_NONE ? "no change" : dcfg_update_class_name(v));
}

/* Parse one side; *diags keeps its diagnostics for the report. 1 when valid. */
static int load(const cli_common *co, const char *file, dcfg_config **cfg, dcfg_diags **diags)
{
    dcfg_status st = cli_parse(co, file, cfg, diags);
    if (st == DCFG_EIO || st == DCFG_ENOMEM || st == DCFG_EUSAGE)
        fprintf(stderr, "dstackcfg: %s: %s\n", file, st == DCFG_EIO ? strerror(errno) : dcfg_status_string(st));
    return st == DCFG_OK;
}

/* Diagnostics of both files as check prints them: text on stderr, or one JSON array. */
static void report(dcfg_diags *const diags[2], int json)
{
    int printed = 0;
    if (json)
        fputc('[', stdout);
    for (int i = 0; i < 2; i++) {
        char *text = NULL;
        if (!json) {
            cli_print_diags(diags[i]);
        } else if (diags[i] && dcfg_diags_to_json(&text, diags[i]) == DCFG_OK && strlen(text) > 2) {
            text[strlen(text) - 1] = '\0'; /* splice into the combined array */
            fputs(printed ? "," : "", stdout);
            fputs(text + 1, stdout);
            printed = 1;
        }
        dcfg_free(text);
    }
    if (json)
        fputs("]\n", stdout);
}

int cmd_diff(int argc, char **argv)
{
    cli_common co = { DCFG_FORMAT_AUTO, 0 };
    int json = 0, first = -1;
    for (int i = 0; i < argc; i++) {
        int r = cli_common_option(&co, argc, argv, &i);
        if (r < 0)
            goto usage;
        if (r)
            continue;
        if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(v, "json"))
                json = 1;
            else if (strcmp(v, "text"))
                goto usage;
        } else {
            if ((first = cli_first_operand(argv, i)) < 0)
                goto usage;
            break;
        }
    }
    if (first < 0 || argc - first != 2)
        goto usage;

    dcfg_config *a = NULL, *b = NULL;
    dcfg_diags *diags[2] = { NULL, NULL };
    dcfg_diff *d = NULL;
    int ok_a = load(&co, argv[first], &a, &diags[0]), ok_b = load(&co, argv[first + 1], &b, &diags[1]);
    int status = EXIT_USAGE;
    if (!ok_a || !ok_b) {
        report(diags, json);
    } else {
        if (!json)
            report(diags, 0); /* warnings, as check prints them */
        dcfg_status st = dcfg_config_diff(&d, a, b, NULL);
        if (st == DCFG_OK) {
            if (json)
                print_json(d);
            else
                print_text(d);
            status = dcfg_diff_count(d) ? EXIT_INVALID : EXIT_VALID;
        } else {
            fprintf(stderr, "dstackcfg: diff: %s\n", dcfg_status_string(st));
        }
    }
    dcfg_diff_free(d);
    dcfg_config_free(a);
    dcfg_config_free(b);
    dcfg_diags_free(diags[0]);
    dcfg_diags_free(diags[1]);
    return status;
usage:
    cli_usage(stderr);
    return EXIT_USAGE;
}
