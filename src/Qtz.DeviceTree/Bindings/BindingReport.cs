namespace Qtz.DeviceTree.Bindings;

/// <summary>One failed binding rule on one node: where, which rule, and what was expected.</summary>
public sealed record BindingFinding(string NodePath, string Rule, string Message)
{
    public override string ToString() => $"{NodePath}: [{Rule}] {Message}";
}

/// <summary>The result of checking one remoteproc node.</summary>
public sealed record CheckedNode(string Path, string Compatible, string Binding, IReadOnlyList<BindingFinding> Findings)
{
    public bool Passed => Findings.Count == 0;
}

/// <summary>All PAS remoteproc nodes of a tree and what the checks found.</summary>
public sealed record BindingReport(IReadOnlyList<CheckedNode> Nodes)
{
    public bool Passed => Nodes.All(n => n.Passed);

    public IEnumerable<BindingFinding> Findings => Nodes.SelectMany(n => n.Findings);
}

/// <summary>Rule names used in findings (stable: tests and scripts match on them).</summary>
public static class BindingRules
{
    public const string Compatible = "compatible";
    public const string Required = "required";
    public const string Reg = "reg";
    public const string Clocks = "clocks";
    public const string Interrupts = "interrupts";
    public const string SmemStates = "smem-states";
    public const string MemoryRegion = "memory-region";
    public const string Iommus = "iommus";
    public const string Devmem = "qcom,devmem";
    public const string PowerDomains = "power-domains";
    public const string FirmwareName = "firmware-name";
}
