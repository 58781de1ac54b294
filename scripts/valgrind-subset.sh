#!/bin/sh
# valgrind-subset.sh: check that the CLI tests valgrind runs (make cli
# VALGRIND=1: a subset, see the Makefile) reach every line of src/ that the
# two full passes of make cli reach.  Builds flstat with gcov in build/cov,
# runs both, compares the lines executed and names those the subset
# misses; exit 1 when there is one.  usage: scripts/valgrind-subset.sh
set -eu
cd "$(dirname "$0")/.."
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
cov="BUILD=build/cov LDFLAGS=--coverage"
# shellcheck disable=SC2086
make -s -j"$jobs" $cov OPT="-O0 -g --coverage" build/cov/flstat
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A valgrind that only runs the program, so that the subset takes the
# paths it takes under valgrind.
cat >"$tmp/valgrind" <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do case "$1" in -*) shift ;; *) break ;; esac; done
exec "$@"
EOF
chmod +x "$tmp/valgrind"

# lines OUT: the lines of src/ executed since the counts were cleared
lines() {
    find build/cov -name '*.gcda' | while read -r gcda; do
        src=src/${gcda#build/cov/}
        src=${src%.gcda}.c
        [ -f "$src" ] || continue
        gcov -t -o "$(dirname "$gcda")" "$src" 2>/dev/null |
            awk -v f="$src" -F: '
                /^ *-: *0:Source:/ { cur = $4 }
                { c = $1; gsub(/ /, "", c); l = $2; gsub(/ /, "", l) }
                c ~ /^[0-9]+\*?$/ && cur == f { print f ":" l }'
    done | sort -u >"$1"
}

# pass OUT VALGRIND: make cli's two passes, as make cli VALGRIND=VALGRIND
# runs them (through the valgrind above when 1).  Their failures do not
# matter here (one test runs flstat as a user who cannot write the counts).
pass() {
    find build/cov -name '*.gcda' -exec rm -f {} +
    # shellcheck disable=SC2086
    PATH="$tmp:$PATH" make -s $cov OPT="-O0 -g --coverage" cli \
        VALGRIND="$2" >"$tmp/log" 2>&1 || :
    lines "$1"
}

pass "$tmp/full" 0
pass "$tmp/subset" 1
missed=$(comm -23 "$tmp/full" "$tmp/subset")
echo "valgrind-subset: $(wc -l <"$tmp/full") lines reached by make cli," \
     "$(wc -l <"$tmp/subset") by its valgrind subset"
if [ -n "$missed" ]; then
    echo "valgrind-subset: lines the subset misses:" >&2
    echo "$missed" >&2
    exit 1
fi
