/* A main() for the harnesses without libFuzzer: runs LLVMFuzzerTestOneInput
 * once on every file named on the command line, and on every file under a
 * named folder. Built with any compiler (gcc included), so CI and valgrind
 * can replay a corpus, and AFL++ can drive it as `fuzz-replay-yaml @@`.
 * With no argument it reads one input from standard input. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replayed;

static int run_stream(FILE *f, const char *name)
{
    size_t cap = 65536, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return -1;
    size_t n;
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                return -1;
            }
            buf = p;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "replay: cannot read %s\n", name);
        free(buf);
        return -1;
    }
    /* an exact-size copy, so ASan sees reads past the end */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
    return 0;
}

/* listed: found in a folder, where a fuzzer running beside us may delete it */
static int run_path(const char *path, int listed)
{
    struct stat st;
    if (stat(path, &st)) {
        if (listed)
            return 0;
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            fprintf(stderr, "replay: cannot open %s\n", path);
            return -1;
        }
        int rc = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            size_t n = strlen(path) + strlen(e->d_name) + 2;
            char *sub = malloc(n);
            if (!sub) {
                rc = -1;
                break;
            }
            snprintf(sub, n, "%s/%s", path, e->d_name);
            if (run_path(sub, 1))
                rc = -1;
            free(sub);
        }
        closedir(d);
        return rc;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (listed)
            return 0;
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    int rc = run_stream(f, path);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;
    if (argc < 2)
        rc = run_stream(stdin, "<stdin>");
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            continue; /* libFuzzer-style options are ignored */
        if (run_path(argv[i], 0))
            rc = 1;
    }
    if (argc >= 2 && !replayed) {
        fprintf(stderr, "replay: no input found\n");
        return 1;
    }
    fprintf(stderr, "replay: %zu inputs, no crash\n", replayed);
    return rc ? 1 : 0;
}
