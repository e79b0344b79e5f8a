#!/usr/bin/env python3
"""The soak: an agent under tree churn and one long-lived tree, with the keeper killed once.

Started by bench/soak/run.sh (which builds soak_target). For SECONDS (default 600) it keeps:
- CHURN (10) loops, each handing short-lived trees to the agent one after another
  (attenuator-testhelper --notify getppid --socket AGENT -- soak_target --calls 20);
- one long-lived tree calling a notified getppid in a loop, with a latency histogram;
and kills the keeper with SIGKILL once, half-way. Every minute it prints one table row: the agent's
RSS and fd count, the keeper's fd count, trees churned, churned trees that failed, the long-lived
tree's calls, p50/p99 latency over the minute, and ENOSYS seen. Exit 1 if any ENOSYS, or any churned
tree failed (a non-zero exit: soak_target exits 3 on ENOSYS) or hung (still running after HUNG s).
"""
import os
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

GETPPID = "110"
HUNG = 30  # seconds: a churned tree still running then waits on a call nobody answers
BUCKETS = 4096
HEADER = 3


def pid_of(pattern):
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    return int(out[0]) if out else None


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def stats(path):
    with open(path, "rb") as f:
        data = f.read((HEADER + BUCKETS) * 8)
    if len(data) < (HEADER + BUCKETS) * 8:
        return None
    return struct.unpack(f"<{HEADER + BUCKETS}Q", data)


def percentile(hist, q):
    total = sum(hist)
    if total == 0:
        return None
    rank, seen = q * total, 0
    for us, n in enumerate(hist):
        seen += n
        if seen >= rank:
            return us
    return len(hist) - 1


def main():
    dist, target, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    churn = int(os.environ.get("CHURN", "10"))
    bin_attenuator = os.path.join(dist, "bin", "attenuator")
    helper = os.path.join(dist, "bin", "attenuator-testhelper")
    work = tempfile.mkdtemp(prefix="attenuator-soak-")
    home = os.path.join(work, "home")
    os.makedirs(home, mode=0o700)
    sock = os.path.join(work, "agent.sock")
    env = dict(os.environ, ATTENUATOR_HOME=home)
    agent_log = open(os.path.join(work, "agent.log"), "w")
    agent = subprocess.Popen([bin_attenuator, "agent", "--socket", sock, "--fallback", "allow"],
                             env=env, stderr=agent_log, stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not os.path.exists(sock):
        if agent.poll() is not None or time.time() > deadline:
            sys.exit(f"soak: the agent did not start; see {agent_log.name}")
        time.sleep(0.1)

    stats_file, stop_file = os.path.join(work, "long.stats"), os.path.join(work, "long.stop")
    long_lived = subprocess.Popen([helper, "--notify", GETPPID, "--socket", sock, "--", target, stats_file, stop_file])
    stop = threading.Event()
    counts = {"trees": 0, "failed": 0, "hung": 0}
    lock = threading.Lock()

    def churner():
        while not stop.is_set():
            try:
                rc = subprocess.run([helper, "--notify", GETPPID, "--socket", sock, "--", target, "--calls", "20"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=HUNG).returncode
            except subprocess.TimeoutExpired:  # run() has killed it: a call nobody answered
                rc = None
            with lock:
                counts["trees"] += 1
                counts["failed"] += rc is not None and rc != 0
                counts["hung"] += rc is None

    threads = [threading.Thread(target=churner, daemon=True) for _ in range(churn)]
    for t in threads:
        t.start()

    print(f"# soak: {seconds} s, {churn} churning loops + 1 long-lived tree, kernel {os.uname().release}, "
          f"{os.cpu_count()} cpus, work dir {work}")
    print("| minute | agent RSS MiB | agent fds | keeper fds | trees churned | trees failed | "
          "trees hung | long-lived calls | p50 us | p99 us | ENOSYS | event |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    start, previous, killed, minute = time.time(), None, False, 0
    bad = False
    while time.time() - start < seconds:
        time.sleep(min(60, seconds - (time.time() - start)))
        minute += 1
        event = ""
        if not killed and time.time() - start >= seconds / 2:
            keeper = pid_of(f"attenuator-keeper.*{home}")
            if keeper:
                os.kill(keeper, signal.SIGKILL)
                event = f"keeper {keeper} killed"
            else:
                event = "no keeper found to kill"
            killed = True
        s = stats(stats_file)
        hist = [a - (b if previous else 0) for a, b in zip(s[HEADER:], previous[HEADER:] if previous else s[HEADER:])]
        calls = s[0] - (previous[0] if previous else 0)
        keeper = pid_of(f"attenuator-keeper.*{home}")
        rss = rss_kib(agent.pid)
        with lock:
            trees, failed, hung = counts["trees"], counts["failed"], counts["hung"]
        enosys = s[1]
        bad = bad or enosys > 0 or failed > 0 or hung > 0 or agent.poll() is not None
        print(f"| {minute} | {rss / 1024 if rss else float('nan'):.0f} | {fds(agent.pid)} | {fds(keeper) if keeper else '-'} | "
              f"{trees} | {failed} | {hung} | {calls} | {percentile(hist, 0.5)} | {percentile(hist, 0.99)} | {enosys} | {event} |",
              flush=True)
        previous = s
    stop.set()
    for t in threads:
        t.join()
    open(stop_file, "w").close()
    try:
        long_lived.wait(timeout=30)
    except subprocess.TimeoutExpired:
        long_lived.kill()
        bad = True
    agent.terminate()
    agent.wait(timeout=30)
    print(f"# long-lived tree: exit {long_lived.returncode}, other errors {stats(stats_file)[2]}; agent log {agent_log.name}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
