/* check --format github|sarif: diagnostics for CI systems. GitHub workflow
 * commands show as annotations on a pull request; SARIF 2.1.0 is read by
 * code-scanning tools. */
#include <string.h>
#include "cli.h"

/* Workflow-command escaping: data escapes % CR LF, properties also : and ,. */
static void gh_escape(const char *s, int property)
{
    for (; *s; s++) {
        switch (*s) {
        case '%': fputs("%25", stdout); break;
        case '\r': fputs("%0D", stdout); break;
        case '\n': fputs("%0A", stdout); break;
        case ':': fputs(property ? "%3A" : ":", stdout); break;
        case ',': fputs(property ? "%2C" : ",", stdout); break;
        default: putchar(*s);
        }
    }
}

void cli_print_github(const dcfg_diags *diags)
{
    for (size_t i = 0; i < dcfg_diags_count(diags); i++) {
        const dcfg_diag *g = dcfg_diags_at(diags, i);
        const char *code = dcfg_diag_code_name(dcfg_diag_code_of(g)), *path = dcfg_diag_path(g);
        printf("::%s file=", dcfg_diag_severity(g) == DCFG_SEVERITY_WARNING ? "warning" : "error");
        gh_escape(dcfg_diags_source(diags), 1);
        if (dcfg_diag_line(g))
            printf(",line=%u", dcfg_diag_line(g));
        if (dcfg_diag_column(g))
            printf(",col=%u", dcfg_diag_column(g));
        fputs(",title=", stdout);
        gh_escape("dstackcfg ", 1);
        gh_escape(code, 1);
        fputs("::", stdout);
        if (*path) {
            gh_escape(path, 0);
            fputs(": ", stdout);
        }
        gh_escape(dcfg_diag_message(g), 0);
        putchar('\n');
    }
}

/* JSON string content, without the quotes. */
static void json_part(const char *s)
{
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
            putchar(ch);
    }
}

static void json_str(const char *s)
{
    putchar('"');
    json_part(s);
    putchar('"');
}

/* A file name as a relative URI reference: bytes other than unreserved
 * characters and '/' are percent-encoded (a ':' or '%' would misparse). */
static void uri_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || strchr("-._~/", ch))
            putchar(ch);
        else
            printf("%%%02X", ch);
    }
    putchar('"');
}

void cli_sarif_begin(void)
{
    printf("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
           "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"dstackcfg\",\"version\":");
    json_str(dcfg_version_string());
    printf(",\"informationUri\":\"https://dstack.ai\"}},\"results\":[");
}

/* *first: no result printed yet (for the commas between them). */
void cli_sarif_results(const dcfg_diags *diags, int *first)
{
    for (size_t i = 0; i < dcfg_diags_count(diags); i++) {
        const dcfg_diag *g = dcfg_diags_at(diags, i);
        const char *path = dcfg_diag_path(g);
        printf("%s{\"ruleId\":", *first ? "" : ",");
        *first = 0;
        json_str(dcfg_diag_code_name(dcfg_diag_code_of(g)));
        printf(",\"level\":\"%s\",\"message\":{\"text\":\"",
               dcfg_diag_severity(g) == DCFG_SEVERITY_WARNING ? "warning" : "error");
        if (*path) {
            json_part(path);
            fputs(": ", stdout);
        }
        json_part(dcfg_diag_message(g));
        fputs("\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", stdout);
        uri_str(dcfg_diags_source(diags));
        fputs("}", stdout);
        if (dcfg_diag_line(g)) {
            printf(",\"region\":{\"startLine\":%u", dcfg_diag_line(g));
            if (dcfg_diag_column(g))
                printf(",\"startColumn\":%u", dcfg_diag_column(g));
            fputs("}", stdout);
        }
        fputs("}", stdout);
        if (*path) {
            fputs(",\"logicalLocations\":[{\"fullyQualifiedName\":", stdout);
            json_str(path);
            fputs(",\"kind\":\"member\"}]", stdout);
        }
        fputs("}]}", stdout);
    }
}

void cli_sarif_end(void)
{
    fputs("]}]}\n", stdout);
}
