# Help, version, and every option value that must be refused (exit 2).
d="$REF/dump-small.csv"
hint="Try 'flstat summarize --help' for more information."

t_run summarize --help
t_expect "help: summarize --help" 0 ""
cp "$T/out" "$T/help1"
t_run help summarize
t_expect "help: help summarize" 0 ""
t_check "help: both texts are the same" cmp "$T/help1" "$T/out"
# Every option of every command: its --help names each one getopt_long
# takes (the unit test check_commands), and the man page each one its
# --help names.
sed 's/\\-/-/g' "$ROOT/man/flstat.1" >"$T/man"
for c in summarize simulate sweep curves cdf gradhist help; do
    "$FLSTAT" "$c" --help >"$T/help_$c"
    t_check "man: documents every option of $c" sh -c '
        opts=$(grep -o -e "--[a-z][a-z0-9-]*" "$1" | sort -u)
        [ -n "$opts" ] || { echo "no option found"; exit 1; }
        for o in $opts; do
            grep -q -e "$o" "$2" || { echo "missing $o"; exit 1; }
        done' sh "$T/help_$c" "$T/man"
done

# -h, --help and 'flstat help CMD': the same text on stdout, status 0, for
# every command 'flstat --help' lists.
t_run --help
awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }' \
    "$T/out" >"$T/commands"
t_check "help: flstat --help lists the seven commands" test \
    "$(tr '\n' ' ' <"$T/commands")" = \
    "summarize simulate sweep curves cdf gradhist help "
while read -r c; do
    t_run "$c" --help
    t_expect "help: $c --help" 0 ""
    cp "$T/out" "$T/help_long"
    t_check "help: $c --help starts with its usage" \
        grep -q "^usage: flstat $c" "$T/help_long"
    t_run "$c" -h
    t_expect "help: $c -h" 0 ""
    t_check "help: $c -h is $c --help" cmp "$T/help_long" "$T/out"
    t_run help "$c"
    t_expect "help: help $c" 0 ""
    t_check "help: help $c is $c --help" cmp "$T/help_long" "$T/out"
done <"$T/commands"
t_run summarize -qh
t_expect "help: -h in a cluster" 0 ""
t_check "help: -h in a cluster prints the help" grep -q "^usage: flstat summarize" "$T/out"
t_run help
t_expect "help: help alone lists the commands" 0 ""
t_check "help: help alone is flstat --help" sh -c '
    "$1" --help | cmp - "$2"' sh "$FLSTAT" "$T/out"
t_run help summarize sweep
t_expect "help: one command at a time" 2 "flstat: help: one command at a time
Try 'flstat help --help' for more information."
t_run simulate --preest init
t_expect "simulate: a misspelled long option" 2 "flstat: simulate: unknown option '--preest'; did you mean '--preset'?
Try 'flstat simulate --help' for more information."
t_run help --hepl
t_expect "help: a misspelled --help" 2 "flstat: help: unknown option '--hepl'; did you mean '--help'?
Try 'flstat help --help' for more information."
t_run help --bogus
t_expect "help: an unknown option" 2 "flstat: help: unknown option '--bogus'
Try 'flstat help --help' for more information."

t_run --version
t_expect "version" 0 ""
t_check "version: prints flstat and a number" grep -Eq '^flstat [0-9]+\.[0-9]+\.[0-9]+$' "$T/out"
t_run --help
t_expect "flstat --help" 0 ""
t_check "flstat --help lists summarize" grep -q '^  summarize ' "$T/out"
t_run
t_expect "no command: usage on stderr" 2
t_run frobnicate
t_expect "unknown command" 2 "flstat: 'frobnicate' is not a command; see 'flstat help'"
t_run help frobnicate
t_expect "help of an unknown command" 2 "flstat: help: no command 'frobnicate'
Try 'flstat help --help' for more information."
t_run sumarize
t_expect "a misspelled command: did you mean" 2 "flstat: 'sumarize' is not a command; did you mean 'summarize'? (see 'flstat help')"
t_run s
t_expect "a prefix of three commands: all three" 2 "flstat: 's' is not a command; did you mean 'summarize', 'simulate' or 'sweep'? (see 'flstat help')"
t_run help cuvres
t_expect "help of a misspelled command: did you mean" 2 "flstat: help: no command 'cuvres'; did you mean 'curves'?
Try 'flstat help --help' for more information."

bad() { # bad NAME STDERR-FIRST-LINE ARGS...
    name=$1 msg=$2
    shift 2
    t_run summarize "$@" "$d"
    t_expect "usage: $name" 2 "flstat: summarize: $msg
$hint"
    t_check "usage: $name writes nothing" test ! -s "$T/out"
}
bad "gamma junk" "--gamma: 'abc' is not a number" --gamma abc
bad "gamma negative" "--gamma: '-1' is out of range (must be >= 0)" --gamma -1
bad "gamma huge" "--gamma: '1e999' is not a finite number" --gamma 1e999
bad "gamma nan" "--gamma: 'nan' is not a finite number" --gamma nan
bad "alpha 2" "--alpha: '2' is out of range (must be in [0, 1])" --alpha 2
bad "alpha -0.1" "--alpha: '-0.1' is out of range (must be in [0, 1])" -a -0.1
bad "ohem-batch -3" "--ohem-batch: '-3' is not a whole number >= 0" --ohem-batch -3
bad "ohem-batch 1.5" "--ohem-batch: '1.5' is not a whole number >= 0" --ohem-batch 1.5
bad "ohem-batch huge" "--ohem-batch: '99999999999999999999' is too large (at most 1099511627776)" --ohem-batch 99999999999999999999
bad "ohem-ratio -1" "--ohem-ratio: '-1' is out of range (must be >= 0)" --ohem-ratio -1
bad "ssd without ratio" "--ohem-batch 0 (the SSD rule) needs --ohem-ratio" --ohem-batch 0
bad "easy 1.5" "--easy: '1.5' is out of range (must be in [0, 1])" --easy 1.5
bad "eps 0" "--eps: '0' is out of range (must be in (0, 0.5))" --eps 0
bad "eps 0.5" "--eps: '0.5' is out of range (must be in (0, 0.5))" --eps 0.5
bad "star-gamma 0" "--star-gamma: '0' is out of range (must be > 0)" --star-gamma 0
bad "star-beta junk" "--star-beta: 'x' is not a number" --star-beta x
bad "format xml" "--format: 'xml' is not one of table, csv, tsv, json, md" --format xml
bad "delim two chars" "--delim: 'ab' is not one character (or 'tab')" --delim ab
bad "unknown option" "unknown option '--bogus'" --bogus
bad "a misspelled long option: did you mean" \
    "unknown option '--gamam'; did you mean '--gamma'?" --gamam 2
bad "a misspelled long option with a value" \
    "unknown option '--ohem-bacth=4'; did you mean '--ohem-batch'?" \
    --ohem-bacth=4
bad "an ambiguous abbreviation: every option it begins" \
    "ambiguous option '--ohem'; did you mean '--ohem-batch' or '--ohem-ratio'?" \
    --ohem 4
bad "a misspelled long option in --opt=value form, swapped letters" \
    "unknown option '--lables=detectron'; did you mean '--labels'?" \
    --lables=detectron
bad "unknown option in a cluster, first" "unknown option '-Z'" -Zq
bad "unknown option in a cluster, last" "unknown option '-Z'" -qZ
bad "a value to an option that takes none" "option '--quiet' takes no value" --quiet=1
bad "logit with prob" "--logit and --prob exclude each other" --logit a --prob b
t_run summarize --gamma
t_expect "usage: missing value" 2 "flstat: summarize: option '--gamma' needs a value
$hint"
t_run summarize -qg
t_expect "usage: missing value in a cluster" 2 "flstat: summarize: option '-g' needs a value
$hint"

# Values at the edges are accepted.
for a in "--alpha off" "--no-alpha" "--alpha 0" "--alpha 1" "--gamma 0" \
         "--gamma 0.5" "--gamma 5" "--easy 0" "--easy 1" "--ohem-batch 1" \
         "--ohem-ratio 0" "--delim ," "--eps 0.49"; do
    # shellcheck disable=SC2086
    t_run summarize -f csv $a "$d"
    t_expect "accepted: $a" 0 ""
done
t_run summarize --gamma 0x2 "$REF/dump-small.csv"
t_expect "usage: hexadecimal is not a number" 2 "flstat: summarize: --gamma: '0x2' is not a number
Try 'flstat summarize --help' for more information."
