/* check_commands.c: the command table against the help texts: every option
 * a command hands getopt_long is in its --help, and its --help names no
 * option the command does not take. */
#include <ctype.h>
#include <string.h>

#include "cli/commands.h"
#include "testutil.h"

/* Whether text names the long option --name as a whole word (not as the
 * start of a longer one: --alpha is not found in --no-alpha's "--no-",
 * nor in "--alphas"). */
static int names_long(const char *text, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = strstr(text, "--"); p; p = strstr(p + 1, "--")) {
        if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
            continue;
        const char *end = p + 2 + len;
        if (strncmp(p + 2, name, len) == 0 &&
            !(isalnum((unsigned char)*end) || *end == '-' || *end == '_'))
            return 1;
    }
    return 0;
}

/* Whether text names the short option -c as "-c," or "-c " at the start of
 * an option line or in prose. */
static int names_short(const char *text, char c)
{
    for (const char *p = strchr(text, '-'); p; p = strchr(p + 1, '-')) {
        if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
            continue;
        if (p[1] == c && !isalnum((unsigned char)p[2]) && p[2] != '-')
            return 1;
    }
    return 0;
}

START_TEST(test_long_options_in_help)
{
    int checked = 0;
    for (const fl_command *c = fl_commands; c->name; c++)
        for (const struct option *o = c->longopts; o->name; o++) {
            ck_assert_msg(names_long(c->usage, o->name),
                          "flstat %s --help does not name --%s", c->name,
                          o->name);
            checked++;
        }
    ck_assert_int_gt(checked, 100); /* the table was walked */
}
END_TEST

START_TEST(test_short_options_in_help)
{
    for (const fl_command *c = fl_commands; c->name; c++)
        for (const char *s = c->shortopts; *s; s++)
            if (isalnum((unsigned char)*s))
                ck_assert_msg(names_short(c->usage, *s),
                              "flstat %s --help does not name -%c", c->name,
                              *s);
}
END_TEST

/* The command whose option the "--" at p names: that of the last
 * "flstat NAME" before it on its line (an example piping one command into
 * another), else c. */
static const fl_command *owner(const fl_command *c, const char *text,
                               const char *p)
{
    const char *line = p;
    while (line > text && line[-1] != '\n')
        line--;
    const fl_command *own = c;
    for (const char *f = strstr(line, "flstat "); f && f < p;
         f = strstr(f + 1, "flstat ")) {
        size_t len = strspn(f + 7, "abcdefghijklmnopqrstuvwxyz");
        for (const fl_command *k = fl_commands; k->name; k++)
            if (strlen(k->name) == len && strncmp(k->name, f + 7, len) == 0)
                own = k;
    }
    return own;
}

/* The other way round: each --word of a help text is one of the command's
 * long options, so that a help text names no option that is gone. */
START_TEST(test_help_names_only_options)
{
    for (const fl_command *c = fl_commands; c->name; c++) {
        const char *u = c->usage;
        for (const char *p = strstr(u, "--"); p; p = strstr(p + 2, "--")) {
            if (p > u && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
                continue;
            size_t len = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
            if (len == 0)
                continue; /* "--" alone, or an ellipsis */
            const fl_command *own = owner(c, u, p);
            int known = 0;
            for (const struct option *o = own->longopts; o->name && !known;
                 o++)
                known = strlen(o->name) == len &&
                        strncmp(o->name, p + 2, len) == 0;
            ck_assert_msg(known, "flstat %s --help names --%.*s, which "
                                 "flstat %s does not take", c->name, (int)len,
                          p + 2, own->name);
        }
    }
}
END_TEST

START_TEST(test_find_command)
{
    for (const fl_command *c = fl_commands; c->name; c++) {
        ck_assert_ptr_eq(fl_find_command(c->name), c);
        ck_assert_msg(strncmp(c->usage, "usage: flstat ", 14) == 0 &&
                          strncmp(c->usage + 14, c->name, strlen(c->name)) ==
                              0,
                      "%s's usage does not start with its name", c->name);
    }
    ck_assert_ptr_null(fl_find_command("sumarize"));
    ck_assert_ptr_null(fl_find_command(""));
}
END_TEST

/* The word matchers themselves, on made-up texts. */
START_TEST(test_matchers)
{
    ck_assert(names_long("  --alpha A  weight", "alpha"));
    ck_assert(!names_long("  --no-alpha", "alpha"));
    ck_assert(!names_long("  --alphas", "alpha"));
    ck_assert(names_long("(see --alpha)", "alpha"));
    ck_assert(!names_long("x--alpha", "alpha"));
    ck_assert(names_short("  -a, --alpha", 'a'));
    ck_assert(!names_short("  --alpha", 'a'));
    ck_assert(!names_short("  -ab", 'a'));
}
END_TEST

Suite *commands_suite(void)
{
    Suite *s = suite_create("commands");
    TCase *tc = tcase_create("commands");
    tcase_add_test(tc, test_matchers);
    tcase_add_test(tc, test_long_options_in_help);
    tcase_add_test(tc, test_short_options_in_help);
    tcase_add_test(tc, test_help_names_only_options);
    tcase_add_test(tc, test_find_command);
    suite_add_tcase(s, tc);
    return s;
}
