# lib.sh: helpers for the CLI tests, sourced by run.sh.
# t_run ARGS...      run flstat (stdin: $T_STDIN or /dev/null, or a pipe from
#                    cat $T_PIPE); sets T_STATUS,
#                    and $T/out and $T/err hold stdout and stderr
# t_run_whole ARGS...  t_run in parts of the usual size, for a large input
#                    whose case is not about where the cuts fall (in
#                    parts of 50 bytes, 11 MB take minutes under ASan)
# t_expect NAME STATUS [STDERR]   check the last run's status and exact stderr
# t_check NAME COMMAND...         pass when COMMAND succeeds
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

t_pass() { echo "pass $1" >>"$T_RESULTS"; }
t_fail() { echo "fail $1: $2" >>"$T_RESULTS"; }

# t_exec ARGS...: flstat (through valgrind with FLSTAT_WRAP) on the standard
# input it is given, stdout and stderr into $T/out and $T/err; its status
t_exec() {
    if [ -n "$FLSTAT_WRAP" ]; then
        valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect \
            --log-file="$T/valgrind" "$FLSTAT" "$@" >"$T/out" 2>"$T/err"
    else
        "$FLSTAT" "$@" >"$T/out" 2>"$T/err"
    fi
}

# with T_PIPE set, standard input is a pipe from cat "$T_PIPE"
t_run() {
    if [ -n "${T_PIPE:-}" ]; then
        cat "$T_PIPE" | t_exec "$@"
    else
        t_exec "$@" <"${T_STDIN:-/dev/null}"
    fi
    T_STATUS=$?
}

t_run_whole() {
    t_parts=${FLSTAT_PART_BYTES-}
    unset FLSTAT_PART_BYTES
    t_run "$@"
    if [ -n "$t_parts" ]; then
        FLSTAT_PART_BYTES=$t_parts
        export FLSTAT_PART_BYTES
    fi
}

t_expect() {
    name=$1 status=$2
    if [ "$T_STATUS" = 99 ] && [ -n "$FLSTAT_WRAP" ]; then
        t_fail "$name" "valgrind: $(head -c 2000 "$T/valgrind")"
        return
    fi
    if [ "$T_STATUS" != "$status" ]; then
        t_fail "$name" "exit status $T_STATUS, want $status; stderr: $(head -c 500 "$T/err")"
        return
    fi
    if [ $# -ge 3 ]; then
        if [ -n "$3" ]; then printf '%s\n' "$3"; fi >"$T/want_err"
        if ! cmp -s "$T/want_err" "$T/err"; then
            t_fail "$name" "stderr: $(head -c 500 "$T/err") | want: $3"
            return
        fi
    fi
    t_pass "$name"
}

t_check() {
    name=$1
    shift
    if "$@" >"$T/check" 2>&1; then
        t_pass "$name"
    else
        t_fail "$name" "$(head -c 800 "$T/check")"
    fi
}

# t_compare REF ACTUAL: the tidy csv ACTUAL matches the reference csv REF.
t_compare() {
    awk -F, -f "$ROOT/tests/cli/compare.awk" "$1" "$2"
}

t_done() { :; }
