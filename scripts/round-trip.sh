#!/usr/bin/env bash
# Round trip of the clinic dataset through the command line (issue 3, acceptance 2).
#
#   scripts/round-trip.sh [--size-mb N] [--seed S] [--dir DIR] [--keep]
#
# Generates day 1 of the clinic dataset (../shared/bench/gen-clinic-dataset.py, default 2048 MiB, seed 1),
# makes a SoftHSM2 token, a repository and a tenant with ./cairn, backs day 1 up, changes the tree in place
# to day 2 (`--day 2 --update`, as a night of clinic work would) and backs it up again (incremental), then
# restores both snapshots with `cairn restore` and compares each with a listing of the tree it was made of:
# every entry by exact name bytes with its type and mode, owner, mtime in nanoseconds, xattrs, size,
# SHA-256 of the content and hard-link group. Sparse files must come back sparse (no more allocated
# blocks than the source). Finally `cairn verify --read-data` must be clean.
# Exit 0 when every check held, 1 at the first failure (the work directory is kept and named), 2 on bad usage.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZE_MB=2048
SEED=1
DIR=""
KEEP=0
GEN="$ROOT/../shared/bench/gen-clinic-dataset.py"

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while (($#)); do
  case $1 in
    --size-mb) SIZE_MB=${2:?}; shift 2 ;;
    --seed) SEED=${2:?}; shift 2 ;;
    --dir) DIR=${2:?}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage ;;
    *) echo "round-trip: unknown argument $1" >&2; usage ;;
  esac
done
[[ $SIZE_MB =~ ^[0-9]+$ ]] || usage
[[ -f $GEN ]] || { echo "round-trip: the dataset generator is not at $GEN" >&2; exit 2; }
command -v python3 >/dev/null || { echo "round-trip: python3 is needed" >&2; exit 2; }

WORK=${DIR:-$(mktemp -d "${TMPDIR:-/tmp}/cairn-round-trip.XXXXXX")}
mkdir -p "$WORK"
SRC="$WORK/src"
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
fail() {
  log "FAILED: $*"
  log "the work directory is kept: $WORK"
  exit 1
}
cleanup() { [[ $KEEP == 1 || ${FAILED:-0} == 1 ]] || rm -rf "$WORK"; }
trap 'FAILED=1' ERR
trap cleanup EXIT

cairn() { "$ROOT/cairn" "$@"; }
json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d" + sys.argv[1]))' "$1"; }

listing() { # DIR -> stdout: one line per entry, by exact name bytes
  python3 "$ROOT/scripts/tree-listing.py" "$1"
}
allocated() { # DIR -> stdout: "path blocks" of every sparse regular file (allocated < size)
  python3 - "$1" <<'PY'
import os, stat, sys
root = sys.argv[1]
for dirpath, dirs, files in os.walk(root):
    for n in files:
        st = os.lstat(os.path.join(dirpath, n))
        if stat.S_ISREG(st.st_mode) and st.st_blocks * 512 < st.st_size:
            print(os.path.relpath(os.path.join(dirpath, n), root), st.st_blocks)
PY
}

log "work directory $WORK; dataset ${SIZE_MB} MiB, seed $SEED"
python3 "$GEN" --out "$SRC" --size-mb "$SIZE_MB" --seed "$SEED" >"$WORK/gen1.out" 2>&1 || fail "the generator failed: $(tail -3 "$WORK/gen1.out")"
# extra metadata the generator does not make: an xattr, a symlink, a hard link, an odd mode
setfattr -n user.cairn.note -v "round trip" "$SRC/EHR/dumps/clinic_ehr_nightly.sql" 2>/dev/null || log "no user xattrs here: skipped"
ln -s ../EHR/dumps/clinic_ehr_nightly.sql "$SRC/IT/latest-dump.sql"
ln "$SRC/EHR/dumps/clinic_ehr_nightly.sql" "$SRC/IT/dump-hardlink.sql"
chmod 0640 "$SRC/EHR/dumps/clinic_ehr_nightly.sql"
listing "$SRC" >"$WORK/day1.listing"
allocated "$SRC" >"$WORK/day1.sparse"

cairn keys init-softhsm "$WORK/token" >/dev/null
R=(--repo "$WORK/repo" --hsm "$WORK/token/hsm.conf")
cairn repo init "${R[@]}" >/dev/null
cairn repo add-tenant "${R[@]}" --tenant clinic >/dev/null
log "backup of day 1"
S1=$(cairn backup "${R[@]}" --tenant clinic --tag day1 --json "$SRC" | json_field '["id"]')

log "day 2, in place"
python3 "$GEN" --out "$SRC" --size-mb "$SIZE_MB" --seed "$SEED" --day 2 --update >"$WORK/gen2.out" 2>&1 || fail "the generator failed: $(tail -3 "$WORK/gen2.out")"
listing "$SRC" >"$WORK/day2.listing"
allocated "$SRC" >"$WORK/day2.sparse"
log "backup of day 2"
B2=$(cairn backup "${R[@]}" --tenant clinic --tag day2 --json "$SRC")
S2=$(json_field '["id"]' <<<"$B2")
log "day 2 read $(json_field '["summary"]["bytesRead"]' <<<"$B2") of $(json_field '["summary"]["bytes"]' <<<"$B2") bytes"

for day in 1 2; do
  snap=S$day
  log "restore of day $day (${!snap:0:8})"
  cairn restore "${R[@]}" --tenant clinic "${!snap}" --target "$WORK/restore$day" >/dev/null
  listing "$WORK/restore$day$SRC" >"$WORK/restored$day.listing"
  cmp -s "$WORK/day$day.listing" "$WORK/restored$day.listing" \
    || fail "day $day does not restore identical: diff $WORK/day$day.listing $WORK/restored$day.listing"
  allocated "$WORK/restore$day$SRC" >"$WORK/restored$day.sparse"
  python3 - "$WORK/day$day.sparse" "$WORK/restored$day.sparse" <<'PY' || fail "day $day: a sparse file came back with more blocks"
import sys
src = dict(l.rsplit(" ", 1) for l in open(sys.argv[1]).read().split("\n") if l)
got = dict(l.rsplit(" ", 1) for l in open(sys.argv[2]).read().split("\n") if l)
bad = [p for p in src if p not in got or int(got[p]) > int(src[p])]
print("sparse files:", len(src), "restored sparse:", len(got), "with more blocks:", len(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
  log "day $day restores identical: $(wc -l <"$WORK/day$day.listing") entries"
done

log "verify --read-data"
cairn verify "${R[@]}" --read-data >"$WORK/verify.out" 2>&1 || fail "verify --read-data found problems: $(tail -5 "$WORK/verify.out")"
tail -3 "$WORK/verify.out" >&2
log "passed"
