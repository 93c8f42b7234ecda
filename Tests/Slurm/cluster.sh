# Winnow's one-node Slurm cluster for tests: `source` it, then `cluster_start [MaxArraySize]` and `cluster_stop`.
# Debian's slurm-wlm and munge, as root, without systemd: a fresh folder holds the munge key and socket, the
# generated slurm.conf and every state, spool, pid and log path; ports are picked free, so two clusters on one
# machine do not meet. cluster_stop kills the daemons by their pid files (and any job step they left).

cluster_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cluster_start() {
    local max_array=${1:-1001}
    CLUSTER_DIR=$(mktemp -d -t winnow-slurm.XXXXXX)
    chmod 755 "$CLUSTER_DIR"
    mkdir -p "$CLUSTER_DIR"/{conf,state,spool,pids,logs,munge}
    chown munge:munge "$CLUSTER_DIR/munge"
    runuser -u munge -- mungekey --create --keyfile="$CLUSTER_DIR/munge/key" >/dev/null
    runuser -u munge -- /usr/sbin/munged --key-file="$CLUSTER_DIR/munge/key" --socket="$CLUSTER_DIR/munge/socket" \
        --pid-file="$CLUSTER_DIR/munge/pid" --log-file="$CLUSTER_DIR/munge/log" --seed-file="$CLUSTER_DIR/munge/seed" \
        </dev/null >/dev/null 2>&1
    local cpus; cpus=$(nproc)
    cat > "$CLUSTER_DIR/conf/slurm.conf" <<CONF
ClusterName=winnowtest
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$CLUSTER_DIR/munge/socket
SlurmctldPort=$(cluster_free_port)
SlurmdPort=$(cluster_free_port)
StateSaveLocation=$CLUSTER_DIR/state
SlurmdSpoolDir=$CLUSTER_DIR/spool
SlurmctldPidFile=$CLUSTER_DIR/pids/slurmctld.pid
SlurmdPidFile=$CLUSTER_DIR/pids/slurmd.pid
SlurmctldLogFile=$CLUSTER_DIR/logs/slurmctld.log
SlurmdLogFile=$CLUSTER_DIR/logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=bf_interval=1,sched_interval=1,batch_sched_delay=0
MaxArraySize=$max_array
# Generous timeouts: on a loaded 2-core machine (a test suite beside it) a batch launch can take longer than the
# default 10 s, after which Slurm drops the job without running its script.
BatchStartTimeout=120
MessageTimeout=60
SlurmdTimeout=600
MpiDefault=none
ReturnToService=2
NodeName=localhost CPUs=$cpus RealMemory=4000 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF="$CLUSTER_DIR/conf/slurm.conf"
    # Daemons get no terminal, pipe or inherited descriptor of the caller (a test runner waits for its pipes).
    slurmctld -f "$SLURM_CONF" </dev/null >>"$CLUSTER_DIR/logs/slurmctld.out" 2>&1
    slurmd -f "$SLURM_CONF" -N localhost </dev/null >>"$CLUSTER_DIR/logs/slurmd.out" 2>&1
    for _ in $(seq 1 200); do
        [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && return 0
        sleep 0.1
    done
    echo "the test cluster did not come up; logs in $CLUSTER_DIR/logs" >&2
    return 1
}

# Waits until none of the given jobs is queued or running (at most $2 seconds). An squeue that fails (the
# controller busy) says nothing, so it is asked again rather than read as "no jobs left".
cluster_wait() {
    local jobs=$1 limit=${2:-600} start=$SECONDS out
    while :; do
        if out=$(squeue -h -j "$jobs" 2>/dev/null) && [ -z "$out" ]; then
            # Twice empty a moment apart: a dependent array can be between states.
            sleep 1
            if out=$(squeue -h -j "$jobs" 2>/dev/null) && [ -z "$out" ]; then return 0; fi
        fi
        [ $((SECONDS - start)) -gt "$limit" ] && { echo "jobs $jobs still queued after ${limit}s" >&2; return 1; }
        sleep 0.5
    done
}

# What the daemons logged as errors (a job that failed to launch leaves no trace in its own log).
cluster_log_errors() {
    [ -n "${CLUSTER_DIR:-}" ] || return 0
    echo "== slurmctld/slurmd errors"
    grep -h -i -E "error|fail|timeout|missing|drain|down" "$CLUSTER_DIR"/logs/slurm*.log 2>/dev/null \
        | grep -v -i -E "pmix|MPI:|state file|backup state|MailProg" | tail -30
}

cluster_stop() {
    [ -n "${CLUSTER_DIR:-}" ] || return 0
    local f pids
    for f in "$CLUSTER_DIR/pids/slurmd.pid" "$CLUSTER_DIR/pids/slurmctld.pid" "$CLUSTER_DIR/munge/pid"; do
        [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
    # Anything else this cluster started (a daemon that had not written its pid file yet, a job step) names the
    # cluster's own folder on its command line.
    for _ in $(seq 1 50); do
        pids=$(pgrep -f "$CLUSTER_DIR" || true)
        [ -z "$pids" ] && break
        kill $pids 2>/dev/null || true
        sleep 0.1
    done
    pids=$(pgrep -f "$CLUSTER_DIR" || true)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
    rm -rf "$CLUSTER_DIR"
    CLUSTER_DIR=
}
