// SPDX-License-Identifier: GPL-2.0
/*
 * qtz_pas_client: one firmware image through the real mdt_loader and qcom_scm PAS calls, in the
 * order qcom_q6v5_pas (6.12) uses them for a start and a stop, without remoteproc:
 *   qcom_mdt_pas_init (INIT_IMAGE, MEM_SETUP when relocatable) -> qcom_mdt_load_no_init (copy)
 *   -> qcom_scm_pas_auth_and_reset -> qcom_pas_metadata_release -> qcom_scm_pas_shutdown.
 * Each step's return value is printed on one "qtz-pas:" line the host parses; a positive value
 * is TrustZone's own result code (Linux's `ret ?: result[0]`), a negative one an errno.
 * The work happens at load; the module then stays loaded doing nothing until rmmod (a failing init
 * would make busybox's insmod retry it through init_module, running every image twice).
 */
#include <linux/module.h>
#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/platform_device.h>
#include <linux/firmware/qcom/qcom_scm.h>
#include <linux/soc/qcom/mdt_loader.h>

static char *fw;
module_param(fw, charp, 0444);
MODULE_PARM_DESC(fw, "firmware name for request_firmware, e.g. qcom/sa8775p/adsp.mbn");
static int pas_id = -1;
module_param(pas_id, int, 0444);
static ulong mem_phys, mem_size;
module_param(mem_phys, ulong, 0444);
module_param(mem_size, ulong, 0444);
static bool keep_running;
module_param(keep_running, bool, 0444);
MODULE_PARM_DESC(keep_running, "skip the SHUTDOWN (the processor stays out of reset)");

static int __init qtz_pas_client_init(void)
{
	struct qcom_scm_pas_context ctx = {};
	struct platform_device *pdev;
	const struct firmware *f;
	int init = -ENOEXEC, load = -ENOEXEC, auth = -ENOEXEC, stop = -ENOEXEC, ret;
	phys_addr_t reloc = 0;
	void *region;

	if (!fw || pas_id < 0 || !mem_phys || !mem_size)
		return -EINVAL;
	if (!qcom_scm_is_available())
		return -EPROBE_DEFER;
	pdev = platform_device_register_simple("qtz_pas_client", -1, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	ret = request_firmware(&f, fw, &pdev->dev);
	if (ret) {
		pr_info("qtz-pas: fw=%s pas=%d request_firmware=%d\n", fw, pas_id, ret);
		goto out_dev;
	}
	region = memremap(mem_phys, mem_size, MEMREMAP_WC);
	if (!region) {
		ret = -ENOMEM;
		goto out_fw;
	}
	ctx.dev = &pdev->dev;
	ctx.pas_id = pas_id;
	ctx.mem_phys = mem_phys;
	ctx.mem_size = mem_size;
	init = qcom_mdt_pas_init(&pdev->dev, f, fw, pas_id, mem_phys, &ctx);
	if (!init) {
		load = qcom_mdt_load_no_init(&pdev->dev, f, fw, pas_id, region, mem_phys, mem_size, &reloc);
		if (!load)
			auth = qcom_scm_pas_auth_and_reset(pas_id);
		qcom_pas_metadata_release(&ctx);
		if (!keep_running)
			stop = qcom_scm_pas_shutdown(pas_id);
	}
	pr_info("qtz-pas: fw=%s pas=%d size=%zu init=%d load=%d auth=%d shutdown=%d reloc=%pa\n",
		fw, pas_id, f->size, init, load, auth, stop, &reloc);
	memunmap(region);
out_fw:
	release_firmware(f);
out_dev:
	platform_device_unregister(pdev);
	return 0;
}

static void __exit qtz_pas_client_exit(void)
{
}
module_init(qtz_pas_client_init);
module_exit(qtz_pas_client_exit);
MODULE_DESCRIPTION("qtz: the real mdt_loader and qcom_scm PAS calls for one image");
MODULE_LICENSE("GPL");
