#!/usr/bin/env bash
# kill -9 soak of `cairn backup` (issue 3): the longer run of tests/.../BackupKillTest.
#
#   scripts/kill-soak.sh [--iterations N] [--minutes M] [--seed S] [--churn-mib MIB] [--dir DIR] [--keep]
#
# Makes a SoftHSM2 token, a repository and a tree (about 100 MiB of images, text, small files, a sparse disk
# image, a symlink, a hardlink, a FIFO, xattrs, a name that is not UTF-8), backs it up once, then repeats:
# rewrite MIB of it with new random data (default 96, in files of 16 MiB), start `cairn backup`, kill it
# with SIGKILL at a seeded random moment (after a random delay, when the pack being written in tmp/ passes a
# random size, or just after a pack was sealed), and check that
#   - every new file in packs/ is whole (its SHA-256 is its name),
#   - `cairn verify --read-data` is clean,
#   - the repository opens and the newest earlier snapshot restores identical to the tree it was made of
#     (content, type, mode, owner, mtime, symlink target, xattrs, hardlinks),
#   - the next backup succeeds.
# At the end `cairn snapshots` must list exactly the snapshots made, and the first one must still restore.
# Stops after N iterations (default 200) or M minutes (default 60), whichever comes first. Exit 0 when every
# check held, 1 at the first failure (the work directory is kept and named), 2 on bad usage.
# Uses ./cairn (the launcher builds the CLI when needed) and python3 for data and listings.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ITERATIONS=200
MINUTES=60
SEED=$(( (RANDOM << 15) | RANDOM ))
CHURN_MIB=96
DIR=""
KEEP=0

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while (($#)); do
  case $1 in
    --iterations) ITERATIONS=${2:?}; shift 2 ;;
    --minutes) MINUTES=${2:?}; shift 2 ;;
    --seed) SEED=${2:?}; shift 2 ;;
    --churn-mib) CHURN_MIB=${2:?}; shift 2 ;;
    --dir) DIR=${2:?}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage ;;
    *) echo "kill-soak: unknown argument $1" >&2; usage ;;
  esac
done
[[ $ITERATIONS =~ ^[0-9]+$ && $MINUTES =~ ^[0-9]+$ && $SEED =~ ^[0-9]+$ && $CHURN_MIB =~ ^[0-9]+$ ]] \
  || { echo "kill-soak: --iterations, --minutes, --seed and --churn-mib take whole numbers" >&2; exit 2; }
command -v python3 >/dev/null || { echo "kill-soak: python3 is needed" >&2; exit 2; }

if [[ -n $DIR ]]; then
  mkdir -p "$DIR"
  [[ -z $(ls -A "$DIR") ]] || { echo "kill-soak: $DIR is not empty" >&2; exit 2; }
  WORK=$(cd "$DIR" && pwd)
else
  WORK=$(mktemp -d /tmp/cairn-kill-soak.XXXXXX)
fi
REPO=$WORK/repo
SRC=$WORK/src
TENANT=soak
OPTS=(--repo "$REPO" --hsm "$WORK/token/hsm.conf")
RANDOM=$SEED
DEADLINE=$(( $(date +%s) + MINUTES * 60 ))

log() { echo "[$(date +%T)] $*" | tee -a "$WORK/soak.log" >&2; }
fail() {
  log "FAILED: $*"
  log "seed $SEED; everything is in $WORK (soak.log, the repository, the last outputs)"
  exit 1
}
cairn() { "$ROOT/cairn" "$@"; }
json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d" + sys.argv[1]))' "$1"; }

# python3 helpers: seeded data, the tree, and a listing of a tree by exact name bytes
py() { python3 - "$@"; }
gen_random() { # FILE BYTES SEED
  py "$@" <<'PY'
import random, sys
path, size, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed)
with open(path, "wb") as f:
    while size > 0:
        n = min(size, 1 << 20); f.write(r.randbytes(n)); size -= n
PY
}
make_tree() { # DIR SEED
  py "$@" <<'PY'
import os, random, sys
root, seed = sys.argv[1].encode(), int(sys.argv[2])
r = random.Random(seed)
def p(*parts): return os.path.join(root, *[x.encode() if isinstance(x, str) else x for x in parts])
for d in ("images", "docs", "small", "churn", "deep/a/b/c/d/e"):
    os.makedirs(p(d), exist_ok=True)
for name in ("ct-scan.img", "xray.bin"):
    with open(p("images", name), "wb") as f:
        for _ in range(32): f.write(r.randbytes(1 << 20))
for name in ("letters.txt", "clinic.sql"):
    with open(p("docs", name), "w") as f:
        for _ in range(120000):
            f.write("INSERT INTO visits VALUES (%d, 'p-%06d', '2026-%02d-%02d', 'follow-up %x');\n"
                    % (r.randrange(10**6), r.randrange(10**6), r.randrange(1, 13), r.randrange(1, 29), r.getrandbits(64)))
for i in range(150):
    with open(p("small", "f%03d.dat" % i), "wb") as f: f.write(r.randbytes(r.randrange(20000)))
with open(p("deep/a/b/c/d/e", "bottom.txt"), "w") as f: f.write("bottom\n")
with open(p(b"scan\xff\xfe.dcm"), "wb") as f: f.write(b"not utf-8 name")
with open(p("disk.raw"), "wb") as f:
    f.write(r.randbytes(4096)); f.seek(8 << 20); f.write(r.randbytes(65536)); f.truncate(64 << 20)
os.link(p("docs", "clinic.sql"), p("docs", "clinic-hardlink.sql"))
os.symlink(b"docs/letters.txt", p("link"))
os.symlink(b"/nonexistent/target", p("dangling"))
os.mkfifo(p("pipe"), 0o620)
with open(p("setuid-tool"), "wb") as f: f.write(b"\x7fELF")
os.chmod(p("setuid-tool"), 0o4755)
os.setxattr(p("docs", "letters.txt"), b"user.clinic", b"\x00\xff\x10")
for dirpath, dirs, files in os.walk(root, topdown=False):
    for n in files + dirs:
        t = 1_600_000_000_000_000_000 + r.randrange(10**17)
        os.utime(os.path.join(dirpath, n), ns=(t, t), follow_symlinks=False)
PY
}
listing() { # DIR -> stdout: one line per entry, by exact name bytes
  python3 "$ROOT/scripts/tree-listing.py" "$1"
}
churn() { # ROUND
  local f n=$(( (CHURN_MIB + 15) / 16 )) i
  for ((f = 0; f < n; f++)); do gen_random "$SRC/churn/part-$f.bin" $((16 << 20)) $RANDOM$RANDOM; done
  echo "round $1" > "$SRC/small/round-$1.txt"
  rm -f "$SRC/small/round-$(( $1 - 3 )).txt"
  chmod $(( $1 % 2 ? 600 : 640 )) "$SRC/docs/letters.txt"
}
snapshot_files() { { ls "$REPO/snapshots/$TENANT" 2>/dev/null || true; } | sed -n 's/^\([0-9a-f]\{64\}\)\.snap$/\1/p' | sort; }
pack_files() { find "$REPO/packs" -type f -name '*.pack' | sort; }
new_tmp_pack_bytes() { # the largest pack-*.tmp not in $TMP_BEFORE
  local f size max=0
  for f in "$REPO"/tmp/pack-*.tmp; do
    [[ -e $f ]] || continue
    grep -qxF "$f" <<<"$TMP_BEFORE" && continue
    size=$(stat -c %s "$f" 2>/dev/null || echo 0)
    ((size > max)) && max=$size
  done
  echo $max
}
restore_and_compare() { # ID WHAT
  local target=$WORK/restore
  rm -rf "$target"
  cairn restore "${OPTS[@]}" "${1:0:12}" --target "$target" >"$WORK/restore.out" 2>"$WORK/restore.err" \
    || fail "$2: restore of ${1:0:8} failed: $(cat "$WORK/restore.err")"
  listing "$target$SRC" >"$WORK/restored.listing"
  cmp -s "$WORK/restored.listing" "$WORK/listings/$1" \
    || fail "$2: snapshot ${1:0:8} does not restore identical (diff $WORK/listings/$1 $WORK/restored.listing)"
  rm -rf "$target"
}
backup_ok() { # WHAT -> prints the snapshot id
  cairn backup "${OPTS[@]}" "$SRC" --json >"$WORK/backup.json" 2>"$WORK/backup.err" \
    || fail "$1: backup failed: $(cat "$WORK/backup.err")"
  json_field '["id"]' <"$WORK/backup.json"
}

log "kill soak: seed $SEED, at most $ITERATIONS iterations or $MINUTES minutes, $CHURN_MIB MiB new per backup, in $WORK"
cairn --version >/dev/null # builds the CLI now rather than under the first kill
cairn keys init-softhsm "$WORK/token" >/dev/null
cairn repo init "${OPTS[@]}" >/dev/null
cairn repo add-tenant "${OPTS[@]}" --tenant $TENANT >/dev/null
mkdir -p "$SRC" "$WORK/listings"
make_tree "$SRC" "$SEED"
churn 0
listing "$SRC" >"$WORK/current.listing"
NEWEST=$(backup_ok "first backup")
cp "$WORK/current.listing" "$WORK/listings/$NEWEST"
FIRST=$NEWEST
VERIFY=0
cairn verify --help 2>/dev/null | grep -q "Usage: cairn verify" && VERIFY=1
((VERIFY)) || fail "no \`cairn verify\` in this build: build the CLI first"
KILLED=0
DONE=0

for ((i = 1; i <= ITERATIONS; i++)); do
  if (($(date +%s) >= DEADLINE)); then
    log "time limit of $MINUTES minutes reached"
    break
  fi
  churn "$i"
  listing "$SRC" >"$WORK/current.listing"
  KNOWN=$(snapshot_files)
  PACKS_BEFORE=$(pack_files)
  TMP_BEFORE=$(ls -d "$REPO"/tmp/* 2>/dev/null || true)
  # the launcher itself, not a function: $! is then the process that execs java, so SIGKILL reaches the JVM
  "$ROOT/cairn" backup "${OPTS[@]}" "$SRC" >"$WORK/killed.out" 2>"$WORK/killed.err" &
  PID=$!
  started=$(date +%s%N)
  case $((RANDOM % 3)) in
    0) ms=$((RANDOM % 3000)); moment="after $ms ms"; sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))" ;;
    1) mib=$((1 + RANDOM % (CHURN_MIB > 8 ? CHURN_MIB - 4 : 4))); moment="when a pack in tmp/ reached $mib MiB"
       while kill -0 $PID 2>/dev/null && (($(new_tmp_pack_bytes) < mib << 20)); do sleep 0.01; done ;;
    2) ms=$((RANDOM % 150)); moment="$ms ms after a new pack was sealed"
       while kill -0 $PID 2>/dev/null && [[ $(pack_files) == "$PACKS_BEFORE" ]]; do sleep 0.005; done
       sleep "0.$(printf %03d $ms)" ;;
  esac
  kill -9 $PID 2>/dev/null || true
  set +e
  wait $PID 2>/dev/null # bash's own "Killed" notice is not needed: the log says it
  code=$?
  set -e
  at=$(( ($(date +%s%N) - started) / 1000000 ))
  case $code in
    137) KILLED=$((KILLED + 1)); outcome="killed at $at ms" ;;
    0) outcome="finished before the kill ($at ms)" ;;
    *) fail "iteration $i: the backup exited $code before the kill: $(cat "$WORK/killed.err")" ;;
  esac
  log "iteration $i: $moment, $outcome"

  NOW=$(snapshot_files)
  EXTRA=$(comm -13 <(echo "$KNOWN") <(echo "$NOW") | sed '/^$/d')
  MISSING=$(comm -23 <(echo "$KNOWN") <(echo "$NOW") | sed '/^$/d')
  [[ -z $MISSING ]] || fail "iteration $i: snapshots vanished: $MISSING"
  (($(echo "$EXTRA" | sed '/^$/d' | wc -l) <= 1)) || fail "iteration $i: more than one new snapshot: $EXTRA"
  if [[ -n $EXTRA ]]; then
    cp "$WORK/current.listing" "$WORK/listings/$EXTRA"
    NEWEST=$EXTRA
    log "iteration $i: the killed backup had written its snapshot ${EXTRA:0:8}"
  fi
  while read -r pack; do
    [[ -n $pack ]] || continue
    name=$(basename "$pack" .pack)
    [[ $(sha256sum "$pack" | cut -c1-64) == "$name" ]] || fail "iteration $i: $pack is not whole"
  done < <(comm -13 <(echo "$PACKS_BEFORE") <(pack_files))
  if ((VERIFY)); then
    cairn verify "${OPTS[@]}" --read-data >"$WORK/verify.out" 2>&1 || fail "iteration $i: verify --read-data: $(cat "$WORK/verify.out")"
  fi
  restore_and_compare "$NEWEST" "iteration $i"
  NEWEST=$(backup_ok "iteration $i: the next backup")
  cp "$WORK/current.listing" "$WORK/listings/$NEWEST"
  DONE=$i
done

[[ $(snapshot_files) == "$(ls "$WORK/listings" | sort)" ]] || fail "the snapshots on disk are not the ones made"
cairn snapshots "${OPTS[@]}" --json | json_field '["snapshots"].__len__()' >"$WORK/count"
[[ $(cat "$WORK/count") == $(ls "$WORK/listings" | wc -l) ]] || fail "cairn snapshots lists $(cat "$WORK/count") snapshots"
restore_and_compare "$FIRST" "the end"
log "passed: $DONE iterations, $KILLED backups killed while running, $(ls "$WORK/listings" | wc -l) snapshots, seed $SEED"
if ((KEEP)); then
  log "kept $WORK"
else
  rm -rf "$WORK"
fi
