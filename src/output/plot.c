/* plot.c: atomic files and gnuplot, run without a shell. */
#include "output/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/status.h"

extern char **environ;

static const char *const render_names[] = {
    [FL_RENDER_NONE] = "", [FL_RENDER_PNG] = "png",
    [FL_RENDER_SVG] = "svg", [FL_RENDER_PDF] = "pdf",
};

int fl_render_parse(const char *name, enum fl_render *out)
{
    for (int r = FL_RENDER_PNG; r <= FL_RENDER_PDF; r++)
        if (strcmp(name, render_names[r]) == 0) {
            *out = (enum fl_render)r;
            return 0;
        }
    return -1;
}

const char *fl_render_name(enum fl_render r)
{
    return (unsigned)r <= FL_RENDER_PDF ? render_names[r] : "";
}

/* Return a malloc'd "path.XXXXXX" made by mkstemp, its descriptor in *fd. */
static char *temp_beside(const char *path, int *fd)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 8);
    if (!tmp) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".XXXXXX", 8);
    *fd = mkstemp(tmp);
    if (*fd < 0) {
        int e = errno;
        free(tmp);
        errno = e;
        return NULL;
    }
    return tmp;
}

/* mkstemp makes 0600; a figure is as readable as any file the user makes. */
static int default_mode(int fd)
{
    mode_t mask = umask(0);
    umask(mask);
    return fchmod(fd, 0666 & ~mask);
}

int fl_plot_write_file(const char *path, fl_plot_fill fill, void *ctx)
{
    int fd;
    char *tmp = temp_beside(path, &fd);
    if (!tmp)
        return FL_EIO;
    FILE *f = fdopen(fd, "w");
    int ok = f != NULL && default_mode(fd) == 0;
    if (!f)
        close(fd);
    ok = ok && fill(ctx, f) == 0;
    ok = ok && fflush(f) == 0 && !ferror(f) && fsync(fd) == 0;
    int e = errno;
    if (f && fclose(f) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok)
        unlink(tmp);
    free(tmp);
    errno = e;
    return ok ? FL_OK : FL_EIO;
}

void fl_gp_string(FILE *out, const char *s)
{
    fputc('\'', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            fputs("''", out);
        else
            fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
    }
    fputc('\'', out);
}

void fl_gp_comment(FILE *out, const char *s)
{
    fputs("# ", out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
    }
    fputc('\n', out);
}

int fl_gp_string_ok(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

void fl_gp_begin(FILE *out, const char *what, const char *script_base,
                 const char *dat, int width, int height)
{
    fl_gp_comment(out, what);
    fputs("# Made by flstat; the data is in the file DAT names below.  Render "
          "with\n#   gnuplot -c THIS_SCRIPT png|svg|pdf [OUTPUT]\n"
          "# (what flstat --render runs); plain 'gnuplot THIS_SCRIPT' draws "
          "on gnuplot's\n# default terminal.\n\n", out);
    fputs("if (exists(\"ARGC\") && ARGC >= 1) {\n"
          "    out = ARGC >= 2 ? ARG2 : ", out);
    fl_gp_string(out, script_base);
    fputs(" . '.' . ARG1\n", out);
    fprintf(out,
            "    if (ARG1 eq 'png') {\n"
            "        set terminal pngcairo size %d,%d font 'sans,10'\n"
            "    } else {\n"
            "        if (ARG1 eq 'svg') {\n"
            "            set terminal svg size %d,%d font 'sans,10' background rgb 'white'\n"
            "        } else {\n"
            "            if (ARG1 eq 'pdf') {\n"
            "                set terminal pdfcairo size %.2fin,%.2fin font 'sans,7'\n"
            "            } else {\n"
            "                print 'unknown format ' . ARG1 . ': png, svg or pdf'\n"
            "                exit status 1\n"
            "            }\n"
            "        }\n"
            "    }\n"
            "    set output out\n"
            "}\n",
            width, height, width, height, width / 100.0, height / 100.0);
    fputs("set termoption noenhanced\nDAT = ", out);
    fl_gp_string(out, dat);
    fputs("\nset key noautotitle\nset grid\n\n", out);
}

void fl_gp_end(FILE *out)
{
    fputs("unset multiplot\nset output\n", out);
}

static void describe_exit(int status, const char *prog, char *why, size_t cap)
{
    if (WIFEXITED(status))
        snprintf(why, cap, "%s failed (exit status %d)", prog,
                 WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(why, cap, "%s was killed by signal %d", prog,
                 WTERMSIG(status));
    else
        snprintf(why, cap, "%s stopped unexpectedly", prog);
}

/* Spawn prog with argv, stdin from /dev/null, stdout to our stderr; wait.
 * Return its wait status, or -1 with errno set when it could not start. */
static int run(const char *prog, char *const argv[])
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int st = posix_spawn_file_actions_init(&fa);
    if (st == 0)
        st = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
                                              O_RDONLY, 0);
    if (st == 0)
        st = posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO,
                                              STDOUT_FILENO);
    if (st == 0)
        st = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (st != 0) {
        errno = st;
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

int fl_plot_render(const char *script, const char *output, enum fl_render r,
                   char *why, size_t cap)
{
    const char *prog = getenv("FLSTAT_GNUPLOT");
    if (!prog || !*prog)
        prog = "gnuplot";
    int fd;
    char *tmp = temp_beside(output, &fd);
    if (!tmp) {
        snprintf(why, cap, "%s: %s", output, strerror(errno));
        return FL_EIO;
    }
    int ok = default_mode(fd) == 0;
    close(fd);
    char *argv[] = {(char *)prog, "-c", (char *)script,
                    (char *)fl_render_name(r), tmp, NULL};
    int status = ok ? run(prog, argv) : -1;
    struct stat sb;
    if (!ok) {
        snprintf(why, cap, "%s: %s", tmp, strerror(errno));
    } else if (status < 0 || (WIFEXITED(status) && WEXITSTATUS(status) == 127)) {
        /* 127: the child could not exec, where posix_spawn forks first */
        snprintf(why, cap, "cannot run %s: %s (install gnuplot, or name it "
                           "in FLSTAT_GNUPLOT)", prog,
                 status >= 0 || errno == ENOENT ? "no such program"
                                                : strerror(errno));
        ok = 0;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        describe_exit(status, prog, why, cap);
        ok = 0;
    } else if (stat(tmp, &sb) != 0 || sb.st_size == 0) {
        snprintf(why, cap, "%s made no picture", prog);
        ok = 0;
    } else if (rename(tmp, output) != 0) {
        snprintf(why, cap, "%s: %s", output, strerror(errno));
        ok = 0;
    }
    if (!ok)
        unlink(tmp);
    free(tmp);
    return ok ? FL_OK : FL_EIO;
}
