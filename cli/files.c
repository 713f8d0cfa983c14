/* File input and output that the commands share: reading a whole file or
 * standard input, and replacing a file atomically (what `fmt --write` does,
 * and any command that writes files should do). */
#if !defined(_XOPEN_SOURCE)
#  define _XOPEN_SOURCE 700 /* realpath() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

int cli_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static char *read_stream(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = '\0'; /* n < cap here: the loop grows before reading */
    *len = n;
    return buf;
}

char *cli_read_all(const char *file, size_t *len)
{
    FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
    if (!f)
        return NULL;
    char *data = read_stream(f, len);
    int e = errno;
    if (f != stdin)
        fclose(f);
    errno = e;
    return data;
}

/* Replaces `file` by `data`: a temporary file in the same directory, synced,
 * then renamed over the original (a symbolic link's target is replaced).
 * 0 ok; -1 with errno set and the original untouched. */
int cli_write_atomically(const char *file, const char *data, size_t len)
{
    char *real = realpath(file, NULL);
    if (!real)
        return -1;
    struct stat st;
    if (stat(real, &st)) {
        free(real);
        return -1;
    }
    const char *slash = strrchr(real, '/');
    size_t dlen = slash ? (size_t)(slash - real) : 0;
    const char *base = slash ? slash + 1 : real;
    size_t cap = dlen + strlen(base) + 32;
    char *tmp = malloc(cap);
    if (!tmp) {
        free(real);
        errno = ENOMEM;
        return -1;
    }
    snprintf(tmp, cap, "%.*s/.%s.dstackcfg-XXXXXX", (int)dlen, real, base);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        free(real);
        errno = e;
        return -1;
    }
    int err = 0;
    if (fchmod(fd, st.st_mode & 07777))
        err = errno;
    size_t done = 0;
    while (!err && done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
        } else {
            done += (size_t)w;
        }
    }
    if (!err && fsync(fd))
        err = errno;
    if (close(fd) && !err)
        err = errno;
    if (!err && rename(tmp, real))
        err = errno;
    if (err) {
        unlink(tmp);
    } else if (dlen) {
        /* make the rename itself durable; best effort */
        char *dir = strndup(real, dlen);
        int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY) : -1;
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    free(tmp);
    free(real);
    errno = err;
    return err ? -1 : 0;
}
