// SPDX-License-Identifier: GPL-2.0
/*
 * qtz_rproc_shim: the SoC plumbing qcom_q6v5_pas needs that QEMU's virt machine lacks.
 *  - power domains: one generic PM domain per name in "qtz,domain-names" (onecell provider),
 *    always able to power on/off; proxy votes are counted and reported, nothing else.
 *  - "qcom,smem-states" providers: every child node with "#qcom,smem-state-cells" becomes an
 *    outbound SMP2P entry. A bit update is forwarded to the host with a private SiP fast SMC in the
 *    SCM register layout (x0 = 0xC200FF10, x1 = arginfo for three values, x2 = "qtz,entry" index,
 *    x3 = mask, x4 = value), where qtz's DSP model sees the "stop" bit change.
 */
#include <linux/arm-smccc.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/pm_domain.h>
#include <linux/slab.h>
#include <linux/soc/qcom/smem_state.h>

#define QTZ_SMC_SMP2P_OUT 0xC200FF10

struct qtz_pd {
	struct generic_pm_domain genpd;
};

struct qtz_entry {
	u32 index;
	struct qcom_smem_state *state;
};

struct qtz_shim {
	struct genpd_onecell_data onecell;
	struct qtz_pd *pds;
	struct qtz_entry *entries;
	int nentries;
};

static int qtz_pd_on(struct generic_pm_domain *d) { pr_debug("qtz_rproc_shim: %s on\n", d->name); return 0; }
static int qtz_pd_off(struct generic_pm_domain *d) { pr_debug("qtz_rproc_shim: %s off\n", d->name); return 0; }

static int qtz_update_bits(void *data, u32 mask, u32 value)
{
	struct qtz_entry *e = data;
	struct arm_smccc_res res;

	arm_smccc_smc(QTZ_SMC_SMP2P_OUT, 3, e->index, mask, value, 0, 0, 0, &res);
	return res.a0 ? -EIO : 0;
}

static const struct qcom_smem_state_ops qtz_state_ops = { .update_bits = qtz_update_bits };

static int qtz_shim_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct device_node *np = dev->of_node, *child;
	struct qtz_shim *shim;
	int n, i, ret;

	shim = devm_kzalloc(dev, sizeof(*shim), GFP_KERNEL);
	if (!shim)
		return -ENOMEM;
	n = of_property_count_strings(np, "qtz,domain-names");
	if (n > 0) {
		shim->pds = devm_kcalloc(dev, n, sizeof(*shim->pds), GFP_KERNEL);
		shim->onecell.domains = devm_kcalloc(dev, n, sizeof(*shim->onecell.domains), GFP_KERNEL);
		if (!shim->pds || !shim->onecell.domains)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			struct generic_pm_domain *g = &shim->pds[i].genpd;

			of_property_read_string_index(np, "qtz,domain-names", i, &g->name);
			g->power_on = qtz_pd_on;
			g->power_off = qtz_pd_off;
			ret = pm_genpd_init(g, NULL, true);
			if (ret)
				return dev_err_probe(dev, ret, "genpd %s\n", g->name);
			shim->onecell.domains[i] = g;
		}
		shim->onecell.num_domains = n;
		ret = of_genpd_add_provider_onecell(np, &shim->onecell);
		if (ret)
			return dev_err_probe(dev, ret, "genpd provider\n");
	}

	shim->entries = devm_kcalloc(dev, of_get_child_count(np), sizeof(*shim->entries), GFP_KERNEL);
	for_each_child_of_node(np, child) {
		struct qtz_entry *e = &shim->entries[shim->nentries];

		if (!of_property_present(child, "#qcom,smem-state-cells"))
			continue;
		if (of_property_read_u32(child, "qtz,entry", &e->index)) {
			of_node_put(child);
			return dev_err_probe(dev, -EINVAL, "%pOF: no qtz,entry\n", child);
		}
		e->state = qcom_smem_state_register(child, &qtz_state_ops, e);
		if (IS_ERR(e->state)) {
			of_node_put(child);
			return dev_err_probe(dev, PTR_ERR(e->state), "smem state %pOF\n", child);
		}
		shim->nentries++;
	}
	platform_set_drvdata(pdev, shim);
	dev_info(dev, "%u power domains, %d smem-state entries\n", shim->onecell.num_domains, shim->nentries);
	return 0;
}

static const struct of_device_id qtz_shim_of[] = { { .compatible = "qtz,rproc-shim" }, {} };
MODULE_DEVICE_TABLE(of, qtz_shim_of);
static struct platform_driver qtz_shim_driver = {
	.probe = qtz_shim_probe,
	.driver = { .name = "qtz_rproc_shim", .of_match_table = qtz_shim_of, .suppress_bind_attrs = true },
};
module_platform_driver(qtz_shim_driver);
MODULE_DESCRIPTION("qtz: power domains and SMP2P out-states for qcom_q6v5_pas under QEMU");
MODULE_LICENSE("GPL");
