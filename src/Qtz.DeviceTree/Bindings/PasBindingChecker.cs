using Qtz.DeviceTree.Model;

namespace Qtz.DeviceTree.Bindings;

/// <summary>
/// Checks every Qualcomm PAS remoteproc node (compatible <c>qcom,*-pas</c>) against
/// qcom,pas-common.yaml and its own SoC's binding (<see cref="PasBinding"/>, given by the caller's SoC
/// tables; <see cref="KnownPasBindings"/> when none are given) (spec/scm-pas.md §9.1-§9.2),
/// plus the 2024 seed's <c>iommus</c>/<c>qcom,devmem</c> rules (§8). A value that cannot even be
/// decoded (dangling phandle, wrong length) becomes a finding of the rule that read it.
/// </summary>
public static class PasBindingChecker
{
    public static BindingReport Check(DtTree tree) => Check(tree, KnownPasBindings.For);

    /// <summary>Checks with the bindings <paramref name="bindingOf"/> gives for a node's compatibles (null: pas-common only).</summary>
    public static BindingReport Check(DtTree tree, Func<IReadOnlyList<string>, PasBinding?> bindingOf)
    {
        ArgumentNullException.ThrowIfNull(bindingOf);
        ArgumentNullException.ThrowIfNull(tree);
        var nodes = new List<CheckedNode>();
        foreach (var node in tree.Root.DescendantsAndSelf())
        {
            var compatibles = SafeStringList(node, "compatible");
            var pas = compatibles.FirstOrDefault(IsPasCompatible);
            if (pas is null) continue;
            var findings = new List<BindingFinding>();
            var context = new RuleContext(tree, node, findings);
            var binding = bindingOf(compatibles);
            PasCommonRules.Check(context, maxInterrupts: binding?.MaxInterrupts ?? 6);
            SeedRules.Check(context);
            if (binding is not null) SocPasRules.Check(context, compatibles, binding);
            nodes.Add(new CheckedNode(node.Path, pas, binding?.Name ?? "qcom,pas-common", findings));
        }

        return new BindingReport(nodes);
    }

    public static bool IsPasCompatible(string compatible) =>
        compatible.StartsWith("qcom,", StringComparison.Ordinal) && compatible.EndsWith("-pas", StringComparison.Ordinal);

    private static IReadOnlyList<string> SafeStringList(DtNode node, string name)
    {
        try { return node.GetStringList(name); }
        catch (DtValueException) { return []; }
    }
}

/// <summary>What a rule needs: the tree, the node, and where to put findings.</summary>
internal sealed class RuleContext(DtTree tree, DtNode node, List<BindingFinding> findings)
{
    public DtTree Tree { get; } = tree;

    public DtNode Node { get; } = node;

    public void Fail(string rule, string message) => findings.Add(new BindingFinding(Node.Path, rule, message));

    /// <summary>Runs a rule body; a value that cannot be decoded is that rule's finding, not a crash.</summary>
    public void Run(string rule, Action body)
    {
        try { body(); }
        catch (DtValueException error) { Fail(rule, StripPath(error.Message)); }
    }

    public IReadOnlyList<string> Names(string property) => Node.FindProperty(property)?.AsStringList() ?? [];

    private string StripPath(string message) =>
        message.StartsWith(Node.Path + ": ", StringComparison.Ordinal) ? message[(Node.Path.Length + 2)..] : message;
}
