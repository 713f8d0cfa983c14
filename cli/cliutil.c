#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void cli_usage(FILE *to)
{
    fputs("usage: dstackcfg <command> [options] FILE...\n"
          "\n"
          "Validate and normalize dstack service configurations (type: service).\n"
          "\n"
          "commands:\n"
          "  check [--format text|json|github|sarif] FILE...\n"
          "                                       report every problem; exit 0 valid, 1 invalid, 2 usage/IO\n"
          "  normalize [--view dstack|effective|minimal] [--output-format json|yaml] [--compact] FILE\n"
          "                                       print the configuration: dstack's canonical form (default),\n"
          "                                       with the server's defaults resolved, or only what is set\n"
          "  fmt [--check | --write] FILE...      print files in their minimal form; --check exits 1 when a\n"
          "                                       file is not formatted, --write rewrites it in place (atomically);\n"
          "                                       comments are kept\n"
          "  diff [--format text|json] OLD NEW    what changed and whether dstack applies it in place, by a\n"
          "                                       rolling deployment or only by a restart; exit 0 no change,\n"
          "                                       1 changed, 2 invalid file or usage/IO\n"
          "  schema [--draft 2020-12|07]          print the JSON Schema of a service configuration\n"
          "  explain PATH                         describe a field: explain resources.gpu, explain replicas[].scaling\n"
          "\n"
          "options for every command:\n"
          "  --input-format auto|yaml|json   default: .json files are JSON, others by content\n"
          "  --strict-duplicates             a key written twice is an error, not a warning\n"
          "  --unknown=error|warn|ignore     how to treat keys dstack does not know (default error)\n"
          "  -h, --help                      this help\n"
          "  --version                       library and dstack versions\n"
          "\n"
          "FILE may be - for standard input.\n",
          to);
}

int cli_common_option(cli_common *co, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--input-format")) {
        if (*i + 1 >= argc)
            return -1;
        const char *v = argv[++*i];
        if (!strcmp(v, "auto"))
            co->input_format = DCFG_FORMAT_AUTO;
        else if (!strcmp(v, "yaml"))
            co->input_format = DCFG_FORMAT_YAML;
        else if (!strcmp(v, "json"))
            co->input_format = DCFG_FORMAT_JSON;
        else
            return -1;
        return 1;
    }
    if (!strcmp(a, "--strict-duplicates")) {
        co->parse_flags |= DCFG_PARSE_STRICT_DUPLICATES;
        return 1;
    }
    if (!strncmp(a, "--unknown=", 10)) {
        co->parse_flags &= ~(DCFG_PARSE_UNKNOWN_AS_WARNING | DCFG_PARSE_UNKNOWN_IGNORE);
        if (!strcmp(a + 10, "warn"))
            co->parse_flags |= DCFG_PARSE_UNKNOWN_AS_WARNING;
        else if (!strcmp(a + 10, "ignore"))
            co->parse_flags |= DCFG_PARSE_UNKNOWN_IGNORE;
        else if (strcmp(a + 10, "error"))
            return -1;
        return 1;
    }
    return 0;
}

int cli_first_operand(char **argv, int i)
{
    if (!strcmp(argv[i], "--"))
        return i + 1;
    return argv[i][0] == '-' && argv[i][1] ? -1 : i;
}

dcfg_status cli_parse(const cli_common *co, const char *file, dcfg_config **cfg, dcfg_diags **diags)
{
    dcfg_parse_options opts = DCFG_PARSE_OPTIONS_INIT;
    opts.flags = co->parse_flags;
    opts.format = co->input_format;
    if (opts.format == DCFG_FORMAT_AUTO && cli_ends_with(file, ".json"))
        opts.format = DCFG_FORMAT_JSON;
    if (strcmp(file, "-"))
        return dcfg_config_parse_file(cfg, diags, file, &opts);
    size_t len = 0;
    char *data = cli_read_all("-", &len);
    if (!data)
        return DCFG_EIO;
    opts.source_name = "<stdin>";
    dcfg_status st = dcfg_config_parse(cfg, diags, data, len, &opts);
    free(data);
    return st;
}

void cli_print_diags(const dcfg_diags *diags)
{
    for (size_t i = 0; i < dcfg_diags_count(diags); i++) {
        char *line = NULL;
        if (dcfg_diag_format(&line, dcfg_diags_at(diags, i), dcfg_diags_source(diags)) == DCFG_OK)
            fprintf(stderr, "%s\n", line);
        dcfg_free(line);
    }
}

unsigned cli_surrogate_at(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] != 0xED || (u[1] & 0xE0) != 0xA0 || (u[2] & 0xC0) != 0x80)
        return 0;
    return 0xD000u | (unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
}
