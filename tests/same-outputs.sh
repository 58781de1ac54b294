#!/bin/sh
# same-outputs.sh: do two builds of flstat print the same bytes?
#
# usage: tests/same-outputs.sh COMMIT [FLSTAT]
#
# Builds COMMIT in a temporary worktree, then runs it and FLSTAT (default:
# ./flstat, built from the work tree) on the same inputs: the reference
# dumps, the shipped sample, and simulated dumps of every preset, long and
# wide, logits and probabilities, through every command (summarize with
# breakdowns, OHEM and SSD; sweep, cdf, gradhist, curves; simulate itself),
# in every output format, on one thread and on two.  Each output, its
# standard error and its exit status must be byte-identical.  Exit 0 when
# they all are, 1 with the first differences otherwise.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 COMMIT [FLSTAT]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
new=$(cd "$(dirname "${2:-$root/flstat}")" && pwd)/$(basename "${2:-flstat}")
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'git -C "$root" worktree remove --force "$work/old" >/dev/null 2>&1; rm -rf "$work"' EXIT

git -C "$root" worktree add --detach "$work/old" "$1" >/dev/null 2>&1
make -C "$work/old" -j2 flstat >"$work/build.log" 2>&1 ||
    { echo "same-outputs: building $1 failed (see below)" >&2;
      tail -20 "$work/build.log" >&2; exit 1; }
old=$work/old/flstat

# The inputs, made once by the old build (simulate's bytes are compared
# below as well).
in=$work/in
mkdir -p "$in"
cp "$root/tests/reference/dump-small.csv" "$root/tests/reference/dump-small-prob.csv" "$in/"
cp "$root/data/sample.csv.gz" "$in/"
for p in init midway converged; do
    "$old" simulate --preset $p --images 6 --anchors 3000 --classes 3 \
        --spread 0.3 --seed 11 -o "$in/$p.csv"
    # probabilities, written in full as Python would print them
    awk -F, 'NR == 1 { print "image_id,anchor,class,prob,label"; next }
             { printf "%s,%s,%s,%.17g,%s\n", $1, $2, $3, 1 / (1 + exp(-$4)), $5 }' \
        "$in/$p.csv" >"$in/$p-prob.csv"
done
awk -v seed=5 -v K=4 -v n=4000 -f "$root/tests/cli/tools/make-wide.awk" >"$in/wide.csv"
awk -v seed=6 -v K=4 -v n=4000 -v mmdet=1 -f "$root/tests/cli/tools/make-wide.awk" >"$in/wide-mmdet.csv"
awk -F, 'NR == 1 { print $0 ",logit_bg"; next } { print $0 "," (NR % 7) - 3.5 }' \
    "$in/wide.csv" >"$in/wide-bg.csv"

# One case a line: a name, then the arguments (inputs relative to $in).
cases=$work/cases
cat >"$cases" <<'EOF'
ref summarize dump-small.csv
ref-prob summarize dump-small-prob.csv
ref-json summarize -f json dump-small.csv
ref-params summarize --alpha 0.5 --gamma 0.5 --easy 0.9 --star-gamma 4 --star-beta 0 --ohem-batch 16 --ohem-ratio 3 -f csv dump-small.csv
sample summarize sample.csv.gz
sample-md summarize -f md sample.csv.gz
sample-tsv summarize -f tsv sample.csv.gz
sample-noalpha summarize --no-alpha -g 1 sample.csv.gz
init summarize init.csv
midway summarize -f json midway.csv
converged summarize -f csv converged.csv
all-three summarize init.csv midway.csv converged.csv
prob summarize -f json midway-prob.csv
prob-csv summarize -f csv converged-prob.csv
by-class summarize --by class midway.csv
by-class-json summarize --by class -f json converged.csv
by-image summarize --by image --top 4 midway.csv
by-image-csv summarize --by image -f csv init.csv
ssd summarize --ohem-batch 0 --ohem-ratio 3 midway.csv
ssd-by summarize --ohem-batch 0 --ohem-ratio 3 --by image -f json converged.csv
ohem13 summarize --ohem-batch 64 --ohem-ratio 3 -f json converged.csv
wide summarize --labels detectron wide.csv
wide-json summarize --labels detectron -f json wide.csv
wide-mmdet summarize --labels mmdet -f csv wide-mmdet.csv
wide-by summarize --labels detectron --by class wide.csv
softmax summarize --labels detectron --softmax -f json wide-bg.csv
skip summarize --skip-bad dump-small.csv
sweep sweep midway.csv
sweep-json sweep -f json converged.csv
sweep-grid sweep -g 0:3:0.5 -a 0.25,0.5 -f csv init.csv
sweep-by sweep --by class -f json midway.csv
sweep-by-image sweep --by image --top 3 converged.csv
sweep-wide sweep --labels detectron -f csv wide.csv
cdf cdf midway.csv
cdf-json cdf -f json converged.csv
cdf-csv cdf -g 0,1,2,5 --points 50 -f csv init.csv
gradhist gradhist midway.csv
gradhist-json gradhist -f json converged.csv
gradhist-bins gradhist --bins 7 --no-alpha -f csv init.csv
curves curves
curves-json curves -g 0,2 --pt 0.1:1:0.1 -f json
simulate simulate --preset midway --images 3 --anchors 500 --classes 2 --seed 3
simulate-spread simulate --preset init --images 4 --anchors 300 --spread 0.5 --seed 9
bad-column summarize --logit nope dump-small.csv
EOF

run() { # run BIN OUTDIR
    mkdir -p "$2"
    while read -r name args; do
        for t in 1 2; do
            # shellcheck disable=SC2086
            (cd "$in" && "$1" $args --threads $t >"$2/$name.$t.out" \
                2>"$2/$name.$t.err"; echo $? >"$2/$name.$t.status") \
                </dev/null || true
        done
    done <"$cases"
}
# simulate and curves take no --threads: their cases fail the same way in
# both builds, so they are run again without it
run2() {
    for name in simulate simulate-spread curves curves-json; do
        args=$(awk -v n="$name" '$1 == n { $1 = ""; print }' "$cases")
        # shellcheck disable=SC2086
        (cd "$in" && "$1" $args >"$2/$name.out" 2>"$2/$name.err";
         echo $? >"$2/$name.status") || true
    done
}
run "$old" "$work/a"; run2 "$old" "$work/a"
run "$new" "$work/b"; run2 "$new" "$work/b"

n=$(ls "$work/a" | wc -l)
if diff -r "$work/a" "$work/b" >"$work/diff"; then
    echo "same-outputs: $n files byte-identical ($1 against $new)"
    exit 0
fi
echo "same-outputs: outputs differ from $1's:" >&2
head -40 "$work/diff" >&2
exit 1
