# Writing the results: a full disk is an error with its reason, from every
# command and however large the output; a pipe closed early is no error
# worth a message, even with SIGPIPE ignored (exit 1, nothing on stderr).
d="$REF/dump-small.csv"

# pipe_closed ARGS...: flstat ARGS into a pipe read 10 bytes of, with
# SIGPIPE ignored; sets T_STATUS and $T/err
pipe_closed() {
    (trap '' PIPE
     { "$FLSTAT" "$@" 2>"$T/err"; echo $? >"$T/status"; } | head -c 10 >/dev/null)
    T_STATUS=$(cat "$T/status")
}

# (outputs larger than a pipe's buffer, so that a write does fail)
for args in "sweep -f csv --gamma 0:5:0.01 $d" "cdf -f csv --points 5000 $d" \
            "simulate --seed 1 --images 3"; do
    # shellcheck disable=SC2086
    pipe_closed $args
    t_expect "closed pipe, SIGPIPE ignored: quiet, status 1 ($args)" 1 ""
done
if [ -w /dev/full ]; then
    for args in "sweep -f csv --gamma 0:5:0.01 $d" "cdf -f csv --points 5000 $d" \
                "gradhist -f csv --bins 2000 $d" "curves -f table"; do
        # shellcheck disable=SC2086
        "$FLSTAT" $args >/dev/full 2>"$T/err"
        T_STATUS=$?
        t_expect "full disk: a write error ($args)" 1 \
            "flstat: write error: No space left on device"
    done
fi
