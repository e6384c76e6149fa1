#!/bin/sh
# qtz linux test pas: each image through the real mdt_loader + qcom_scm PAS calls (qtz_pas_client).
# usage: pas.sh FIRMWARE PAS_ID CARVEOUT_BASE CARVEOUT_SIZE [FIRMWARE PAS_ID BASE SIZE]...
# Prints one "qtz-pas: fw=... init=... auth=..." kernel line per image (the host parses them); the
# exit status is 0 when every image was tried (the verdict is the host's: it knows what to expect).
qtz-insmod mdt_loader || exit 3
while [ $# -ge 4 ]; do
  qtz-insmod qtz_pas_client fw="$1" pas_id="$2" mem_phys="$3" mem_size="$4" || exit 3
  rmmod qtz_pas_client || exit 3
  shift 4
done
dmesg | grep -c 'qtz-pas:' | sed 's/^/qtz-pas-count: /'
