#!/bin/sh
# Many short-lived trees through a supervisor and the real keeper (KeeperChurnTest), as fast as
# 8 launcher threads can start them; prints one table row per run.
#   sh bench/keeper-churn.sh [TREES] [RUNS]      (default 20000 trees, 1 run; from the repository root)
# Needs the modules installed in the Maven repository given by M2 (default ~/.m2/repository).
TREES=${1:-20000}
RUNS=${2:-1}
M2=${M2:-$HOME/.m2/repository}
echo "| trees | time | rate | plugin warnings (unsent, refused, garbled) | keeper restarts | zombies | supervisor fds | keeper fds |"
echo "|---|---|---|---|---|---|---|---|"
i=0
while [ "$i" -lt "$RUNS" ]; do
    nice mvn -B -o -q -Dmaven.repo.local="$M2" -pl bundles/plugins/fallback verify -Dtest=KeeperChurnTest \
        -Dfallback.churn="$TREES" -Dsurefire.failIfNoSpecifiedTests=false > /tmp/keeper-churn.$$.log 2>&1
    rc=$?
    row=$(grep -o 'CHURN |.*' bundles/plugins/fallback/target/surefire-reports/TEST-*KeeperChurnTest.xml | sed 's/^CHURN //')
    echo "${row:-| $TREES | failed before the summary (exit $rc): see /tmp/keeper-churn.$$.log |}"
    i=$((i + 1))
done
