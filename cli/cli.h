/* Shared pieces of the dstackcfg command. */
#ifndef DSTACKCFG_CLI_H
#define DSTACKCFG_CLI_H

#include <stdio.h>
#include <dstackcfg/dstackcfg.h>

enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

/* Options every subcommand understands. */
typedef struct cli_common {
    dcfg_format input_format; /* AUTO: by extension, then by content */
    unsigned parse_flags;
} cli_common;

/* Consumes argv[*i] if it is a common option; returns 1 consumed, 0 not ours, -1 bad. */
int cli_common_option(cli_common *co, int argc, char **argv, int *i);
/* argv[i] is no option of the subcommand: the index of the first operand
 * ("--" skipped), or -1 when argv[i] is an unknown option. */
int cli_first_operand(char **argv, int i);
/* Reads FILE ("-" = stdin) and parses it. Returns the dcfg status, or DCFG_EIO with errno set. */
dcfg_status cli_parse(const cli_common *co, const char *file, dcfg_config **cfg, dcfg_diags **diags);
/* Prints every diagnostic as text on stderr. */
void cli_print_diags(const dcfg_diags *diags);
void cli_usage(FILE *to);

/* The whole of FILE ("-" = stdin), NUL-terminated, malloc'ed; NULL with errno set. */
char *cli_read_all(const char *file, size_t *len);
/* Replaces `file` by `data`: a temporary file in the same directory, synced,
 * then renamed over the original (a symbolic link's target is replaced).
 * 0 ok; -1 with errno set and the original untouched. */
int cli_write_atomically(const char *file, const char *data, size_t len);
int cli_ends_with(const char *s, const char *suffix);
/* The lone surrogate at s (NUL-terminated) as the library keeps one from a
 * YAML escape (ED A0..BF 80..BF), or 0: JSON output writes it as \udd00. */
unsigned cli_surrogate_at(const char *s);

/* "dstack" | "effective" | "minimal" -> view; -1 when unknown. */
int cli_parse_view(const char *v, dcfg_view *out);

int cmd_check(int argc, char **argv);
int cmd_normalize(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_diff(int argc, char **argv);
/* check --format github | sarif (check_formats.c) */
void cli_print_github(const dcfg_diags *diags);
void cli_sarif_begin(void);
void cli_sarif_results(const dcfg_diags *diags, int *first);
void cli_sarif_end(void);

int cmd_schema(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif
