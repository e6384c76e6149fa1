# qtz linux test storage: the posted SCM storage driver (seed) on qtz's TZ storage service.
# The host prepends: SIZE, EB (expected geometry), PRE_OFF, PRE_LEN, PRE_SHA (bytes it put in the image),
# OVW_OFF (overwrite-without-erase block), BUG256K (1: also reload the glue with mainline's pool).
# Prints "qtz-check: NAME ok|FAIL why" and "qtz-figure: NAME VALUE" lines for the host.
ok() { echo "qtz-check: $1 ok"; }
bad() { echo "qtz-check: $1 FAIL $2"; }
check() { n=$1; shift; if "$@" >/tmp/out 2>&1; then ok "$n"; else bad "$n" "rc=$? $(tail -1 /tmp/out)"; fi; }
hex() { printf '%08x' "$1"; }

for m in mtd mtd_blkdevs mtdblock; do qtz-insmod $m || bad "insmod_$m" "insmod failed"; done
check insmod_glue qtz-insmod qtz_scm_storage_glue
check insmod_driver qtz-insmod qcom_scm_storage
check insmod_mtd_test qtz-insmod mtd_test

# /proc/mtd and mtdinfo: the modelled chip's geometry
grep -q "^mtd0: $(hex $SIZE) $(hex $EB) \"qcom_scm_storage\"" /proc/mtd && ok proc_mtd || bad proc_mtd "$(grep mtd0 /proc/mtd)"
mtdinfo /dev/mtd0 > /tmp/info
grep -Eq "^Eraseblock size: +$EB bytes" /tmp/info && grep -Eq "^Amount of eraseblocks: +$((SIZE / EB)) \($SIZE bytes" /tmp/info \
  && ok mtdinfo_geometry || bad mtdinfo_geometry "$(grep -E 'Eraseblock size|Amount' /tmp/info | tr '\n' ' ')"

# what the host put in the image reads back
mtd_debug read /dev/mtd0 $PRE_OFF $PRE_LEN /tmp/pre >/dev/null 2>&1
[ "$(sha256sum /tmp/pre | cut -d' ' -f1)" = "$PRE_SHA" ] && ok read_host_bytes || bad read_host_bytes "sha256 differs"

# the kernel's MTD tests (destructive; the flows below rewrite the device afterwards)
for t in "mtd_readtest dev=0" "mtd_speedtest dev=0 count=128" "mtd_stresstest dev=0 count=1000" "mtd_torturetest dev=0 eb=512 ebcnt=8 cycles_count=3 check=1"; do
  check ${t%% *} qtz-insmod ${t%% *} ${t#* }
done
dmesg | sed -n 's/.*mtd_speedtest: eraseblock write speed is \([0-9]*\) KiB\/s/qtz-figure: mtd_write_kibs \1/p; s/.*mtd_speedtest: eraseblock read speed is \([0-9]*\) KiB\/s/qtz-figure: mtd_read_kibs \1/p'

# mtd-utils
check flash_erase flash_erase -q /dev/mtd0 0 0
check flashcp_verify flashcp -v /qtz/pattern.bin /dev/mtd0
mtd_debug read /dev/mtd0 0 $(wc -c < /qtz/pattern.bin) /tmp/rd >/dev/null 2>&1
cmp -s /qtz/pattern.bin /tmp/rd && ok mtd_debug_read || bad mtd_debug_read "read-back differs"
check overwrite_1 mtd_debug write /dev/mtd0 $OVW_OFF 4096 /qtz/ovw1.bin
check overwrite_2 mtd_debug write /dev/mtd0 $OVW_OFF 4096 /qtz/ovw2.bin
mtd_debug read /dev/mtd0 $OVW_OFF 1 /tmp/ovw >/dev/null 2>&1
echo "qtz-figure: overwrite_byte $(od -An -tu1 /tmp/ovw | tr -d ' ')"
printf 'HELLO-QTZ-UNALIGNED' | dd of=/dev/mtdblock0 bs=1 seek=300000 conv=notrunc 2>/dev/null; sync
[ "$(dd if=/dev/mtd0 bs=1 skip=300000 count=19 2>/dev/null)" = HELLO-QTZ-UNALIGNED ] && ok mtdblock_rmw || bad mtdblock_rmw "read back differs"
check nandtest nandtest -p 2 -o 0x200000 -l 0x10000 /dev/mtd0

if [ "$BUG256K" = 1 ]; then
  # the SCM pool as qcom_scm_probe() sizes it (on demand, at most 256 KiB): the posted driver's 256 KiB chunks
  rmmod qcom_scm_storage; rmmod qtz_scm_storage_glue
  check reload_mainline_pool qtz-insmod qtz_scm_storage_glue mainline_pool=1
  check reload_driver qtz-insmod qcom_scm_storage
  echo "qtz-figure: bug256k_marker 1"
  for sz in 0x3e000 0x3f000 0x40000; do
    mtd_debug read /dev/mtd0 0 $sz /tmp/big >/dev/null 2>/tmp/err; rc=$?
    echo "qtz-bug256k: read $sz rc=$rc $(tail -1 /tmp/err)"
  done
fi
true
