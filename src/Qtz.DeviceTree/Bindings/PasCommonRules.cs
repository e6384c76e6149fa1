namespace Qtz.DeviceTree.Bindings;

/// <summary>qcom,pas-common.yaml (spec §9.1): required properties, clocks, interrupts, smem-states, power domains.</summary>
internal static class PasCommonRules
{
    public static readonly string[] InterruptOrder = ["wdog", "fatal", "ready", "handover", "stop-ack", "shutdown-ack"];

    private static readonly string[] RequiredProperties =
        ["clocks", "clock-names", "interrupt-names", "qcom,smem-states", "qcom,smem-state-names"];

    public static void Check(RuleContext c, int maxInterrupts)
    {
        foreach (var name in RequiredProperties)
        {
            if (!c.Node.HasProperty(name)) c.Fail(BindingRules.Required, $"required property '{name}' is missing");
        }

        if (!c.Node.HasProperty("interrupts") && !c.Node.HasProperty("interrupts-extended"))
            c.Fail(BindingRules.Required, "required property 'interrupts' (or 'interrupts-extended') is missing");

        c.Run(BindingRules.Clocks, () => CountBetween(c, BindingRules.Clocks, "clock-names", 1, 2));
        c.Run(BindingRules.Interrupts, () => CheckInterrupts(c, maxInterrupts));
        c.Run(BindingRules.SmemStates, () => CheckSmemStates(c));
        c.Run(BindingRules.PowerDomains, () =>
        {
            if (c.Node.HasProperty("power-domain-names")) CountBetween(c, BindingRules.PowerDomains, "power-domain-names", 1, 3);
        });
    }

    private static void CountBetween(RuleContext c, string rule, string property, int min, int max)
    {
        if (!c.Node.HasProperty(property)) return;
        var count = c.Names(property).Count;
        if (count < min || count > max) c.Fail(rule, $"'{property}' has {count} items, expected {min} to {max}");
    }

    private static void CheckInterrupts(RuleContext c, int maxInterrupts)
    {
        var names = c.Names("interrupt-names");
        if (names.Count == 0) return;
        if (names.Count < 5 || names.Count > maxInterrupts)
            c.Fail(BindingRules.Interrupts, $"'interrupt-names' has {names.Count} items, expected {(maxInterrupts == 5 ? "5" : $"5 to {maxInterrupts}")}");
        for (var i = 0; i < Math.Min(names.Count, InterruptOrder.Length); i++)
        {
            if (names[i] == InterruptOrder[i]) continue;
            c.Fail(BindingRules.Interrupts,
                $"'interrupt-names' item {i} is \"{names[i]}\", expected \"{InterruptOrder[i]}\" (order: {string.Join(", ", InterruptOrder[..maxInterrupts])})");
            break;
        }

        if (!c.Node.HasProperty("interrupts") && !c.Node.HasProperty("interrupts-extended")) return;
        var interrupts = c.Node.GetInterrupts();
        if (interrupts.Count != names.Count)
            c.Fail(BindingRules.Interrupts, $"{interrupts.Count} interrupts but {names.Count} 'interrupt-names'; each interrupt needs its name");
    }

    private static void CheckSmemStates(RuleContext c)
    {
        if (c.Node.HasProperty("qcom,smem-states"))
        {
            var states = c.Node.GetSmemStates();
            if (states.Count != 1)
                c.Fail(BindingRules.SmemStates, $"'qcom,smem-states' has {states.Count} items, expected exactly 1 (the stop state)");
        }

        if (c.Node.HasProperty("qcom,smem-state-names"))
        {
            var names = c.Names("qcom,smem-state-names");
            if (names.Count != 1 || names[0] != "stop")
                c.Fail(BindingRules.SmemStates, $"'qcom,smem-state-names' is [{string.Join(", ", names.Select(n => $"\"{n}\""))}], expected [\"stop\"]");
        }
    }
}
