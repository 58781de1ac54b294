#!/bin/sh
# run.sh: the CLI tests.  usage: tests/cli/run.sh FLSTAT [--valgrind]
# Runs every tests/cli/test_*.sh (or those T_ONLY names, as "parts
# threads") with the helpers of lib.sh, T_JOBS files at a time (default:
# one a core), and prints the failures and "N passed, N failed".
# With --valgrind every flstat run goes through valgrind, and any invalid
# access or leak fails its case.
set -u
here=$(cd "$(dirname "$0")" && pwd)
FLSTAT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
FLSTAT_WRAP=""
if [ "${2:-}" = "--valgrind" ]; then
    FLSTAT_WRAP=valgrind
fi
REF=${FLSTAT_REFERENCE:-$here/../reference}
ROOT=$(cd "$here/../.." && pwd)
jobs=${T_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
export FLSTAT FLSTAT_WRAP REF ROOT
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
# Each file writes its own results; the largest files start first, so that
# the long ones do not finish last, alone.
for t in $(ls -S "$here"/test_*.sh); do
    name=$(basename "$t" .sh | cut -c6-)
    case " ${T_ONLY:-$name} " in
    *" $name "*) printf '%s\n' "$t" ;;
    esac
done | xargs -P "$jobs" -I{} sh -c '
    name=$(basename "$2" .sh | cut -c6-)
    T_RESULTS=$3/$name sh -c ". \"\$1\"/lib.sh; . \"\$2\"; t_done" sh "$1" "$2"
    ' sh "$here" {} "$results"
cat "$results"/* >"$results/all" 2>/dev/null
passed=$(grep -c '^pass' "$results/all")
failed=$(grep -c '^fail' "$results/all")
grep '^fail' "$results/all" | sed 's/^fail /FAIL: /'
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
