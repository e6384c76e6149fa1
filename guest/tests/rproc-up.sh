#!/bin/sh
# rproc-up.sh: load the real qcom_q6v5_pas with everything it needs (Debian 6.12's modules and our
# shim), in dependency order. The driver then probes qtz's remoteproc nodes and, as auto_boot
# wants, starts every DSP whose firmware is in /lib/firmware (qtz linux run --firmware DIR).
# After that: /sys/class/remoteproc/remoteprocN/{name,state,firmware,recovery}.
# /qtz/rproc-modules, when a run brings it, replaces the list (another kernel builds other parts in).
mods="rpmsg_core qmi_helpers qrtr smem qcom_glink qcom_glink_smem qcom_smd qcom_sysmon qcom_q6v5 \
      qcom_common qcom_pil_info mdt_loader qtz_rproc_shim qcom_q6v5_pas"
[ -f /qtz/rproc-modules ] && mods=$(cat /qtz/rproc-modules)
for m in $mods; do
  grep -q "^$m " /proc/modules && continue
  qtz-insmod $m || { echo "rproc-up: insmod $m failed" >&2; exit 3; }
done
