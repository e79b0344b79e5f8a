"""The adoption window: kill -9 of the agent while trees arrive, counting the trees that see ENOSYS.

Each trial starts `attenuator agent --fallback allow` in a home of its own, hands it trees at RATE a
second (attenuator-testhelper --notify getppid --socket AGENT -- soak_target --calls 20, each call
notified), kills the agent with SIGKILL after a random 3-8 s, goes on handing trees for half a second
(they find no agent: refused, not ENOSYS), waits for every tree and counts its exit: 0 answered
throughout, 3 a call got ENOSYS, 1 the hand-over was refused (no agent listening). One table row a
trial; exit 1 if any tree saw ENOSYS.

    python3 bench/adoption-window.py DIST SOAK_TARGET [TRIALS] [RATE]
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time


def trial(dist, target, rate, work):
    home = os.path.join(work, "home")
    os.makedirs(home)
    sock = os.path.join(work, "agent.sock")
    env = dict(os.environ, ATTENUATOR_HOME=home)
    log = open(os.path.join(work, "agent.log"), "w")
    agent = subprocess.Popen([os.path.join(dist, "bin", "attenuator"), "agent", "--socket", sock, "--fallback",
                              "allow"], env=env, stderr=log, stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not os.path.exists(sock):
        if agent.poll() is not None or time.time() > deadline:
            sys.exit(f"adoption-window: the agent did not start; see {log.name}")
        time.sleep(0.05)
    helper = os.path.join(dist, "bin", "attenuator-testhelper")
    trees = []
    kill_at = time.time() + random.uniform(3, 8)
    stop_at = kill_at + 0.5
    next_start = time.time()
    killed = False
    while time.time() < stop_at:
        if not killed and time.time() >= kill_at:
            agent.send_signal(signal.SIGKILL)
            killed = True
        trees.append(subprocess.Popen([helper, "--notify", "110", "--socket", sock, "--", target, "--calls", "20"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        next_start += 1.0 / rate
        time.sleep(max(0.0, next_start - time.time()))
    agent.wait()
    counts = {0: 0, 1: 0, 3: 0}
    other = 0
    for t in trees:
        try:
            rc = t.wait(timeout=30)
        except subprocess.TimeoutExpired:
            t.kill()
            rc = "hung"
        if rc in counts:
            counts[rc] += 1
        else:
            other += 1
    return len(trees), counts[0], counts[3], counts[1], other


def main():
    dist, target = sys.argv[1], sys.argv[2]
    trials = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 30
    print("| trial | trees | answered | ENOSYS | refused (no agent) | other |")
    print("|---|---|---|---|---|---|")
    total_enosys = 0
    for i in range(1, trials + 1):
        work = tempfile.mkdtemp(prefix="adoption-window-")
        n, ok, enosys, refused, other = trial(dist, target, rate, work)
        total_enosys += enosys
        print(f"| {i} | {n} | {ok} | {enosys} | {refused} | {other} |", flush=True)
    sys.exit(1 if total_enosys else 0)


if __name__ == "__main__":
    main()
