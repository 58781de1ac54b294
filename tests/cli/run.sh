#!/bin/sh
# run.sh: the CLI tests.  usage: tests/cli/run.sh FLSTAT [--valgrind]
# Runs every tests/cli/test_*.sh (or those T_ONLY names, as "parts
# threads") with the helpers of lib.sh and prints "N passed, N failed".
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
export FLSTAT FLSTAT_WRAP REF ROOT
results=$(mktemp)
for t in "$here"/test_*.sh; do
    case " ${T_ONLY:-$(basename "$t" .sh | cut -c6-)} " in
    *" $(basename "$t" .sh | cut -c6-) "*) ;;
    *) continue ;;
    esac
    T_RESULTS=$results sh -c '. "$1"/lib.sh; . "$2"; t_done' sh "$here" "$t"
done
passed=$(grep -c '^pass' "$results")
failed=$(grep -c '^fail' "$results")
grep '^fail' "$results" | sed 's/^fail /FAIL: /'
rm -f "$results"
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
