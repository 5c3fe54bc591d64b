#!/usr/bin/env bash
# Runs ccsim-array.sbatch and ccsim-merge.sbatch on a real single-node Slurm
# started here, and checks that the merged report equals one plain `ccsim run`
# byte for byte. See usage() below, or run with --help.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: deploy/slurm/test-local.sh [--keep] [--help]

Tests the Slurm scripts of deploy/slurm/ on a real Slurm: starts a private
one-node cluster on this machine (munged, slurmctld and slurmd on localhost,
their state, logs and spool in a temporary folder), submits
ccsim-array.sbatch as a job array and ccsim-merge.sbatch with
--dependency=afterok on it, waits for both, runs the same scenario, seed and
replications with one plain `ccsim run`, and compares the two report folders
with `diff -r` (summary.json, the CSV files, the charts, report.html).
Prints PASS and exits 0 when they are identical, prints FAIL and exits 1
otherwise. The daemons are stopped and the temporary folder removed on exit.

Needs: root (the daemons and the jobs run as root), apt-get (Debian's
packages slurmctld, slurmd, slurm-client and munge are installed when a
command of theirs is missing; tested with Debian 12's Slurm 22.05), cargo
(builds ccsim in release mode). Uses neither systemd nor /etc/slurm nor
/etc/munge, and leaves no daemon running. Takes about 25 s with the
installation, 15 s without, once ccsim is built.

Example: SCENARIO=scenarios/vlaanderen-1700-2021q2.toml REPLICATIONS=40 \
         SHARDS=4 deploy/slurm/test-local.sh --keep

Options:
  --keep     keep the temporary folder (logs, parts, both reports) and print
             its path
  -h, --help show this help

Environment (defaults in brackets):
  SCENARIO       scenario file, relative to the repository [scenarios/quickstart.toml]
  REPLICATIONS   replications of the run [180]
  SEED           seed [1]
  SHARDS         array tasks, one shard each [3]
  TIMEOUT        seconds to wait for the jobs to finish [600]
  SLURMCTLD_PORT port of slurmctld [16817]
  SLURMD_PORT    port of slurmd [16818]
EOF
}

KEEP=0
for arg in "$@"; do
    case "$arg" in
    --keep) KEEP=1 ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        echo "test-local.sh: unknown argument '$arg'" >&2
        usage >&2
        exit 2
        ;;
    esac
done

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SCENARIO=${SCENARIO:-scenarios/quickstart.toml}
REPLICATIONS=${REPLICATIONS:-180}
SEED=${SEED:-1}
SHARDS=${SHARDS:-3}
TIMEOUT=${TIMEOUT:-600}
SLURMCTLD_PORT=${SLURMCTLD_PORT:-16817}
SLURMD_PORT=${SLURMD_PORT:-16818}
case "$SCENARIO" in
/*) ;;
*) SCENARIO=$REPO/$SCENARIO ;;
esac

say() { echo "test-local: $*"; }
FAILED=0
die() {
    FAILED=1
    echo "test-local: FAIL: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || die "run as root (slurmd and the jobs run as root)"
[ -f "$SCENARIO" ] || die "no scenario file $SCENARIO"

# 1. Slurm and munge, from the distribution's packages when missing.
missing=()
for cmd in slurmctld slurmd sbatch squeue sinfo scontrol scancel srun munged mungekey munge unmunge; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "missing ${missing[*]}: installing slurmctld slurmd slurm-client munge with apt-get"
    command -v apt-get >/dev/null || die "no apt-get: install Slurm (slurmctld, slurmd, the clients) and munge by hand"
    export DEBIAN_FRONTEND=noninteractive
    apt_log=$(mktemp)
    # The packages try to start their services through invoke-rc.d; where
    # there is no init system that step fails harmlessly. This script starts
    # its own daemons either way.
    if ! { apt-get update -q && apt-get install -y -q --no-install-recommends \
        slurmctld slurmd slurm-client munge; } >"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        rm -f "$apt_log"
        die "apt-get could not install Slurm and munge"
    fi
    rm -f "$apt_log"
fi
for port in "$SLURMCTLD_PORT" "$SLURMD_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port is in use: choose others with SLURMCTLD_PORT and SLURMD_PORT"
    fi
done
say "$(slurmctld -V), $(munged --version 2>&1 | head -n 1)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ccsim-slurm.XXXXXX")
chmod 755 "$TMP"
mkdir -p "$TMP"/{etc,munge,state,spool,log,run,work}
PIDS=()
JOBS=()
STATUS=1

cleanup() {
    local rc=$?
    set +e
    if [ "$rc" != 0 ] && [ "$FAILED" = 0 ]; then
        echo "test-local: FAIL: a step above failed (exit code $rc)" >&2
    fi
    if [ ${#JOBS[@]} -gt 0 ]; then
        scancel "${JOBS[@]}" 2>/dev/null
        # Give slurmd a moment to end the jobs' processes.
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            [ -z "$(squeue -h -j "$(
                IFS=,
                echo "${JOBS[*]}"
            )" -o %i 2>/dev/null)" ] && break
            sleep 1
        done
    fi
    # Stop the daemons in reverse order of start, by their process ids.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill "${PIDS[i]}" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null
    done
    if [ "$STATUS" != 0 ] && [ -d "$TMP/log" ]; then
        for f in "$TMP"/log/*.log; do
            echo "--- last lines of $f" >&2
            tail -n 20 "$f" >&2
        done
    fi
    if [ "$KEEP" = 1 ]; then
        say "kept $TMP"
    else
        rm -rf "$TMP"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munged with a fresh key and its own socket: nothing shared with a munged
# the machine may already run.
MUNGE_SOCKET=$TMP/munge/munge.socket
mungekey --create --keyfile="$TMP/munge/munge.key"
munged --foreground --force \
    --key-file="$TMP/munge/munge.key" --socket="$MUNGE_SOCKET" \
    --pid-file="$TMP/run/munged.pid" --seed-file="$TMP/munge/munged.seed" \
    --log-file="$TMP/log/munged.log" >>"$TMP/log/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do
    [ -S "$MUNGE_SOCKET" ] && break
    sleep 0.1
done
munge -n -S "$MUNGE_SOCKET" | unmunge -S "$MUNGE_SOCKET" >/dev/null ||
    die "munged does not answer on $MUNGE_SOCKET"

# One node: this machine, with its real CPUs and memory as slurmd sees them.
NODE=$(hostname -s)
HARDWARE=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //')
export SLURM_CONF=$TMP/etc/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=ccsimtest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$SLURMCTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/run/slurmctld.pid
SlurmdPidFile=$TMP/run/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
# No cgroups: they are often not writable in a container.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
# Finished jobs stay visible to scontrol for 10 minutes.
MinJobAge=600
# A job whose dependency can no longer be met is cancelled, not left pending.
DependencyParameters=kill_invalid_depend
NodeName=$NODE NodeAddr=127.0.0.1 $HARDWARE State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
say "node $NODE: $HARDWARE"

slurmctld -D -i -f "$SLURM_CONF" >>"$TMP/log/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -N "$NODE" -f "$SLURM_CONF" >>"$TMP/log/slurmd.out" 2>&1 &
PIDS+=($!)

state=
for _ in $(seq 60); do
    state=$(sinfo -h -N -n "$NODE" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 1
done
[ "$state" = idle ] || die "node $NODE is not idle after 60 s (sinfo says '${state:-nothing}'): see the logs below"
say "sinfo: node $NODE idle"

# 2. ccsim, release build, on the PATH the jobs inherit (sbatch exports the
# submitting environment).
say "building ccsim (cargo build --release)"
(cd "$REPO" && cargo build --release --bin ccsim --quiet)
export PATH=${CARGO_TARGET_DIR:-$REPO/target}/release:$PATH
say "$(command -v ccsim): $(ccsim --version)"

# 3. The array, then the merge once every task succeeded. Small resources so
# that the tasks fit this node; the scripts' own defaults are for a cluster.
WORK=$TMP/work
export SCENARIO REPLICATIONS SEED PARTS=$WORK/parts OUT=$WORK/merged
# Without SHARDS in its environment, the array script takes the number of
# shards from the array itself (SLURM_ARRAY_TASK_MAX), as on a cluster.
array=$(env -u SHARDS sbatch --parsable --chdir="$WORK" --array="1-$SHARDS" \
    --cpus-per-task=1 --mem=1G --time=00:15:00 "$REPO/deploy/slurm/ccsim-array.sbatch") ||
    die "sbatch refused ccsim-array.sbatch"
array=${array%%;*}
JOBS+=("$array")
merge=$(sbatch --parsable --chdir="$WORK" --dependency="afterok:$array" \
    --mem=1G --time=00:15:00 "$REPO/deploy/slurm/ccsim-merge.sbatch") ||
    die "sbatch refused ccsim-merge.sbatch"
merge=${merge%%;*}
JOBS+=("$merge")
say "submitted array job $array (--array=1-$SHARDS: $(basename "$SCENARIO"), $REPLICATIONS replications, seed $SEED) and merge job $merge (--dependency=afterok:$array)"

# Waits until the jobs (comma-separated ids) have left the queue, at most
# $TIMEOUT seconds.
wait_jobs() {
    local start=$SECONDS
    while [ -n "$(squeue -h -j "$1" -o %i 2>/dev/null || true)" ]; do
        [ $((SECONDS - start)) -lt "$TIMEOUT" ] ||
            die "jobs still queued or running after $TIMEOUT s: $(squeue -j "$1" 2>&1)"
        sleep 1
    done
    WAITED=$((SECONDS - start))
}
wait_jobs "$array,$merge"
say "both jobs left the queue after $WAITED s"

# Every task's state and exit code (there is no accounting database here, so
# scontrol, which keeps finished jobs for MinJobAge, stands in for sacct).
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }
failed=0
while read -r line; do
    task=$(field ArrayTaskId "$line")
    st=$(field JobState "$line")
    say "job $(field JobId "$line")${task:+ (array task ${array}_$task)} $(field JobName "$line"): $st, exit code $(field ExitCode "$line")"
    [ "$st" = COMPLETED ] || failed=1
done < <(
    # One line per task, in task order.
    scontrol -o show job "$array" | sed 's/.*\bArrayTaskId=\([0-9]*\).*/\1\t&/' | sort -n | cut -f2-
    scontrol -o show job "$merge"
)
for f in "$WORK"/ccsim-shard-*.log "$WORK"/ccsim-merge-*.log; do
    [ -f "$f" ] || continue
    if [ "$failed" = 0 ] && [[ $f == */ccsim-merge-* ]]; then
        # The merge prints the report's tables too: show only its own lines.
        { grep -E '^(merged|wrote) ' "$f" || true; } | sed "s|^|  $(basename "$f"): |"
    else
        sed "s|^|  $(basename "$f"): |" "$f"
    fi
done
[ "$failed" = 0 ] || die "a job did not complete: see the logs above"
say "parts: $(cd "$WORK/parts" && echo *)"

# A rerun of one task alone, as after a failure: SHARDS tells the array script
# how many shards the run has (task 1 of --array=1 alone would otherwise be
# shard 1/1). The task writes its part again, the same bytes.
mv "$WORK/parts/part-1-of-$SHARDS.ccsim-part" "$WORK/part-1.before"
rerun=$(SHARDS=$SHARDS sbatch --parsable --chdir="$WORK" --array=1 \
    --cpus-per-task=1 --mem=1G --time=00:15:00 "$REPO/deploy/slurm/ccsim-array.sbatch") ||
    die "sbatch refused the rerun of task 1"
rerun=${rerun%%;*}
JOBS+=("$rerun")
wait_jobs "$rerun"
st=$(field JobState "$(scontrol -o show job "$rerun")")
[ "$st" = COMPLETED ] || die "the rerun of task 1 (job $rerun) ended $st: $(cat "$WORK/ccsim-shard-${rerun}_1.log")"
[ -f "$WORK/parts/part-1-of-$SHARDS.ccsim-part" ] ||
    die "the rerun of task 1 wrote no part-1-of-$SHARDS.ccsim-part: $(cd "$WORK/parts" && echo *)"
cmp "$WORK/part-1.before" "$WORK/parts/part-1-of-$SHARDS.ccsim-part" ||
    die "the rerun of task 1 wrote another part-1-of-$SHARDS.ccsim-part"
say "rerun of task 1 alone (SHARDS=$SHARDS sbatch --array=1, job $rerun): $(cat "$WORK/ccsim-shard-${rerun}_1.log")"
say "  the same part-1-of-$SHARDS.ccsim-part, byte for byte"

# 4. The same run on one machine, and the comparison.
say "ccsim run $(basename "$SCENARIO") --replications $REPLICATIONS --seed $SEED --out single/"
if ! ccsim run "$SCENARIO" --replications "$REPLICATIONS" --seed "$SEED" \
    --out "$WORK/single" --quiet >"$WORK/single.log" 2>&1; then
    cat "$WORK/single.log"
    die "ccsim run failed"
fi
{ grep -E '^wrote ' "$WORK/single.log" || true; } | sed 's/^/  ccsim run: /'
files=$(cd "$WORK/single" && find . -type f | sort | sed 's|^\./||')
[ -f "$WORK/merged/summary.json" ] || die "the merge wrote no summary.json"
say "comparing $(wc -l <<<"$files") files: diff -r single/ merged/"
if diff -r "$WORK/single" "$WORK/merged" >"$WORK/diff.txt" 2>&1; then
    while read -r f; do echo "  identical: $f"; done <<<"$files"
    STATUS=0
    say "PASS: the report merged from $SHARDS Slurm array tasks equals the single run byte for byte"
else
    diff -rq "$WORK/single" "$WORK/merged" | sed "s|$WORK/||g" || true
    echo "--- first lines of the differences:"
    head -c 4000 "$WORK/diff.txt"
    echo
    die "the merged report differs from the single run"
fi
