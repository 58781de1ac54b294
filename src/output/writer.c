/* writer.c: dumps to a file or standard output, plain or through zlib. */
#include "output/writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/status.h"

#define BUF_SIZE (1u << 20)
#define ROW_MAX 128 /* 3 x 20 digits, a logit, a label, separators */

/* zlib's level 1: random digits barely compress more at higher levels, and
 * level 6 is several times slower. */
#define GZ_MODE "wb1"

struct fl_writer {
    FILE *plain;   /* standard output or the temporary file, or NULL */
    gzFile gz;     /* the temporary file, compressed, or NULL */
    char *path;    /* the final name, NULL for standard output */
    char *tmp;     /* the temporary name */
    char *buf;
    size_t len;
};

size_t fl_writer_format_logit(char *buf, int64_t logit_units)
{
    char *p = buf;
    uint64_t u = (uint64_t)logit_units;
    if (logit_units < 0) {
        *p++ = '-';
        u = -u; /* modular: right for INT64_MIN too */
    }
    uint64_t whole = u / 1000000, frac = u % 1000000;
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (n)
        *p++ = digits[--n];
    *p++ = '.';
    for (int i = 5; i >= 0; i--) {
        p[i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    return (size_t)(p + 6 - buf);
}

static char *put_uint(char *p, uint64_t v)
{
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = digits[--n];
    return p;
}

static int flush_buf(fl_writer *w)
{
    if (w->len == 0)
        return FL_OK;
    if (w->gz) {
        if (gzwrite(w->gz, w->buf, (unsigned)w->len) != (int)w->len) {
            int zerr;
            gzerror(w->gz, &zerr);
            if (zerr != Z_ERRNO)
                errno = EIO;
            return FL_EIO;
        }
    } else if (fwrite(w->buf, 1, w->len, w->plain) != w->len) {
        return FL_EIO;
    }
    w->len = 0;
    return FL_OK;
}

static void free_writer(fl_writer *w)
{
    free(w->path);
    free(w->tmp);
    free(w->buf);
    free(w);
}

/* The temporary name for path: ".NAME.XXXXXX" in path's directory. */
static char *temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t cap = strlen(path) + 9;
    char *t = malloc(cap);
    if (t)
        snprintf(t, cap, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
    return t;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Create the temporary file for path and open it, compressed or not. */
static int open_temp(fl_writer *w, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR; /* found now, not after writing every row */
        return FL_EIO;
    }
    w->path = strdup(path);
    w->tmp = w->path ? temp_name(path) : NULL;
    if (!w->tmp)
        return FL_ENOMEM;
    int fd = mkstemp(w->tmp);
    if (fd < 0) {
        free(w->tmp);
        w->tmp = NULL; /* nothing to remove */
        return FL_EIO;
    }
    /* mkstemp makes the file private; give it the mode a new file gets */
    mode_t mask = umask(0);
    umask(mask);
    errno = 0;
    if (fchmod(fd, 0666 & ~mask) == 0) {
        if (ends_with(path, ".gz"))
            w->gz = gzdopen(fd, GZ_MODE);
        else
            w->plain = fdopen(fd, "wb");
    }
    if (w->gz && gzbuffer(w->gz, 1u << 18) == 0)
        return FL_OK;
    if (w->plain)
        return FL_OK;
    int e = errno; /* gzdopen may fail without one: out of memory */
    if (w->gz)
        gzclose(w->gz);
    else
        close(fd);
    w->gz = NULL;
    unlink(w->tmp);
    free(w->tmp);
    w->tmp = NULL;
    errno = e ? e : ENOMEM;
    return e ? FL_EIO : FL_ENOMEM;
}

int fl_writer_open(const char *path, fl_writer **out)
{
    *out = NULL;
    fl_writer *w = calloc(1, sizeof *w);
    if (!w)
        return FL_ENOMEM;
    w->buf = malloc(BUF_SIZE);
    int st = w->buf ? FL_OK : FL_ENOMEM;
    if (st == FL_OK && path && strcmp(path, "-") != 0)
        st = open_temp(w, path);
    else
        w->plain = stdout;
    if (st != FL_OK) {
        int e = errno;
        free_writer(w);
        errno = e;
        return st;
    }
    memcpy(w->buf, FL_WRITER_HEADER, sizeof FL_WRITER_HEADER - 1);
    w->len = sizeof FL_WRITER_HEADER - 1;
    *out = w;
    return FL_OK;
}

int fl_writer_rows(fl_writer *w, const fl_sim_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (BUF_SIZE - w->len < ROW_MAX && flush_buf(w) != FL_OK)
            return FL_EIO;
        const fl_sim_row *r = rows + i;
        char *p = w->buf + w->len;
        p = put_uint(p, r->image);
        *p++ = ',';
        p = put_uint(p, r->anchor);
        *p++ = ',';
        p = put_uint(p, r->klass);
        *p++ = ',';
        p += fl_writer_format_logit(p, r->logit_units);
        *p++ = ',';
        if (r->label < 0)
            *p++ = '-';
        *p++ = r->label ? '1' : '0';
        *p++ = '\n';
        w->len = (size_t)(p - w->buf);
    }
    return FL_OK;
}

/* Close whatever is open; return FL_OK or FL_EIO with errno set. */
static int close_output(fl_writer *w)
{
    int st = flush_buf(w);
    int e = errno;
    if (w->gz) {
        int z = gzclose(w->gz);
        if (st == FL_OK && z != Z_OK) {
            st = FL_EIO;
            e = z == Z_ERRNO ? errno : EIO;
        }
    } else if (w->plain == stdout) {
        if (fflush(stdout) != 0 && st == FL_OK) {
            st = FL_EIO;
            e = errno;
        }
    } else if (w->plain) {
        if (fclose(w->plain) != 0 && st == FL_OK) {
            st = FL_EIO;
            e = errno;
        }
    }
    w->gz = NULL;
    w->plain = NULL;
    errno = e;
    return st;
}

int fl_writer_commit(fl_writer *w)
{
    int st = close_output(w);
    if (st == FL_OK && w->tmp && rename(w->tmp, w->path) != 0)
        st = FL_EIO;
    int e = errno;
    if (st != FL_OK && w->tmp)
        unlink(w->tmp);
    free_writer(w);
    errno = e;
    return st;
}

void fl_writer_abort(fl_writer *w)
{
    if (!w)
        return;
    int e = errno;
    close_output(w);
    if (w->tmp)
        unlink(w->tmp);
    free_writer(w);
    errno = e;
}

const char *fl_writer_temp_path(const fl_writer *w)
{
    return w->tmp;
}
