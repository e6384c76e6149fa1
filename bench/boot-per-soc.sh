#!/bin/sh
# Boot time and peak RSS of `qtz boot` per SoC: every DTB with enabled PAS remoteprocs in DTB_DIR, generated
# firmware, QHEE mode; then the real boards with their real linux-firmware images.
# Usage: bench/boot-per-soc.sh QTZ [DTB_DIR] [FIRMWARE_DIR]   (QTZ: a Release or Native AOT qtz binary)
# Prints a Markdown table: board, SoC, PAS remoteprocs, running, wall ms (median of 3), peak RSS MiB.
set -eu
QTZ=${1:?usage: $0 QTZ [DTB_DIR] [FIRMWARE_DIR]}
DTBS=${2:-../shared/testdata/dtb/qcom}
FW=${3:-../shared/testdata/firmware}

median3() { sort -n | sed -n 2p; }

row() { # name soc args...
    name=$1; soc=$2; shift 2
    out=""; walls=""
    for i in 1 2 3; do
        out=$("$QTZ" boot "$@" --stats 2>&1 || true)
        walls="$walls $(echo "$out" | sed -n 's/.*stats: wall \([0-9]*\) ms.*/\1/p')"
    done
    wall=$(echo $walls | tr ' ' '\n' | median3)
    rss=$(echo "$out" | sed -n 's/.*peak RSS \([0-9.]*\) MiB.*/\1/p')
    total=$(echo "$out" | sed -n 's/^\([0-9]*\) of \([0-9]*\) remoteprocs running$/\2/p')
    running=$(echo "$out" | sed -n 's/^\([0-9]*\) of \([0-9]*\) remoteprocs running$/\1/p')
    [ -n "$total" ] || return 0
    echo "| $name | $soc | $total | $running | $wall | $rss |"
}

echo "| board | SoC | PAS remoteprocs | running | wall ms | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
for dtb in "$DTBS"/*.dtb; do
    name=$(basename "$dtb" .dtb)
    soc=$("$QTZ" boot --dtb "$dtb" --json 2>/dev/null | sed -n 's/.*"soc": "\([^"]*\)".*/\1/p' | sort -u | tr '\n' ' ')
    row "$name (generated)" "$soc" --dtb "$dtb"
done
if [ -d "$FW" ]; then
    row "qrb5165-rb5 (real images)" sm8250 --dtb "$DTBS/qrb5165-rb5.dtb" --firmware "$FW"
    row "sdm845-db845c (real images)" sdm845 --dtb "$DTBS/sdm845-db845c.dtb" --firmware "$FW"
    row "sa8775p-ride (real images)" sa8775p --dtb "$DTBS/sa8775p-ride.dtb" --firmware "$FW"
    row "x1e80100-lenovo-yoga-slim7x (real images, Lenovo root trusted)" x1e80100 --dtb "$DTBS/x1e80100-lenovo-yoga-slim7x.dtb" --firmware "$FW" \
        --trust-root 425587a1654d0db10d3f8b360f50c05082376bcb1f65e0c61c24fd1047e7cb3d184b4eaee95f2af4239d6cafc1aa954d
fi
