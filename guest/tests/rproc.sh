#!/bin/sh
# qtz linux test rproc: the real qcom_q6v5_pas on qtz's remoteproc nodes, driven through sysfs.
# usage: rproc.sh full [CRASH_NAME]   auto-boot, stop, start, host-injected crash of CRASH_NAME, stop
#        rproc.sh autoboot            only the probe's auto-boot (the KVM-host failure scenario)
# Every step prints one "qtz-rproc: ..." line the host parses; the host's verdict decides.
what=$1; crash=$2
sh /qtz/rproc-up.sh || { echo "qtz-rproc: insmod failed"; exit 3; }
# wait_state DIR STATE TENTHS: poll the sysfs state until it reads STATE
wait_state() {
  n=0
  while [ "$(cat $1/state)" != "$2" ]; do
    n=$((n + 1)); [ $n -gt $3 ] && return 1; sleep 0.1
  done
}
procs=$(ls -d /sys/class/remoteproc/remoteproc* 2>/dev/null)
echo "qtz-rproc: count $(echo $procs | wc -w)"
# auto_boot: the driver starts every DSP at probe (firmware from /lib/firmware), all at once; wait
# (at most 15 s: the driver's ready timeout is 5 s) until each is running or remoteproc gave it up
n=0
while [ $n -lt 150 ]; do
  done_=$(dmesg | grep -c "can't start rproc")
  for r in $procs; do [ "$(cat $r/state)" = running ] && done_=$((done_ + 1)); done
  [ $done_ -ge $(echo $procs | wc -w) ] && break
  n=$((n + 1)); sleep 0.1
done
for r in $procs; do echo "qtz-rproc: $(cat $r/name) autoboot $(cat $r/state)"; done
if [ "$what" = autoboot ]; then
  dmesg | grep -E 'remoteproc|q6v5|qcom_q6v5_pas' | sed 's/^/qtz-dmesg: /'
  exit 0
fi
for r in $procs; do
  echo stop > $r/state; echo "qtz-rproc: $(cat $r/name) stop $(cat $r/state)"
done
for r in $procs; do
  echo start > $r/state; wait_state $r running 100; echo "qtz-rproc: $(cat $r/name) start $(cat $r/state)"
done
if [ -n "$crash" ]; then
  for r in $procs; do [ "$(cat $r/name)" = "$crash" ] && c=$r; done
  ups=$(dmesg | grep -c "remote processor $crash is now up")
  echo "qtz-rproc: inject crash $crash"
  n=0
  while [ "$(dmesg | grep -c "remote processor $crash is now up")" -le "$ups" ]; do
    n=$((n + 1)); [ $n -gt 150 ] && break; sleep 0.1
  done
  wait_state $c running 50
  echo "qtz-rproc: $crash recovered $(cat $c/state) crashes $(dmesg | grep -c "crash detected in $crash")"
fi
for r in $procs; do
  echo stop > $r/state; echo "qtz-rproc: $(cat $r/name) final-stop $(cat $r/state)"
done
dmesg | grep -E 'remoteproc|q6v5|qcom_q6v5_pas' | sed 's/^/qtz-dmesg: /'
