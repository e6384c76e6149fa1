// SPDX-License-Identifier: GPL-2.0
/*
 * qtz: SMC round trip from the guest kernel. Issues `iters` INFO.IS_CALL_AVAIL calls with the
 * register image qcom_scm's ARM_64 convention produces (STD call, SiP owner) and prints the median
 * and mean per call. Each goes EL1 -> EL3 monitor -> mailbox + doorbell -> qtz -> back.
 */
#include <linux/module.h>
#include <linux/arm-smccc.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/sort.h>

static int iters = 2000;
module_param(iters, int, 0444);

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int __init qtz_smcbench_init(void)
{
	struct arm_smccc_res res;
	u64 *ns, total = 0;
	int i, avail = 0;

	if (iters < 1)
		return -EINVAL;
	ns = kvmalloc_array(iters, sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	for (i = 0; i < iters; i++) {
		ktime_t t0 = ktime_get();

		/* INFO.IS_CALL_AVAIL (svc 0x06, cmd 0x01) asking about itself */
		arm_smccc_smc(ARM_SMCCC_CALL_VAL(ARM_SMCCC_STD_CALL, ARM_SMCCC_SMC_64, ARM_SMCCC_OWNER_SIP, 0x0601),
			      1, (ARM_SMCCC_OWNER_SIP << ARM_SMCCC_OWNER_SHIFT) | 0x0601, 0, 0, 0, 0, 0, &res);
		ns[i] = ktime_to_ns(ktime_sub(ktime_get(), t0));
		total += ns[i];
		avail += !res.a0 && res.a1;
	}
	sort(ns, iters, sizeof(*ns), cmp_u64, NULL);
	pr_info("qtz_smcbench: %d SMCs median %llu ns mean %llu ns min %llu ns p10 %llu ns p90 %llu ns p99 %llu ns max %llu ns avail=%d\n",
		iters, ns[iters / 2], div_u64(total, iters), ns[0], ns[iters / 10],
		ns[iters * 9 / 10], ns[iters * 99 / 100], ns[iters - 1], avail);
	kvfree(ns);
	return 0;
}

static void __exit qtz_smcbench_exit(void) { }

module_init(qtz_smcbench_init);
module_exit(qtz_smcbench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("qtz: SMC round-trip latency from the guest kernel");
