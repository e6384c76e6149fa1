using Qtz.Fuzzing.Targets;

namespace Qtz.Fuzzing;

/// <summary>
/// The targets <c>qtz fuzz</c> knows, by name. A target is registered as a factory so that expensive
/// set-up (key generation, a storage board) happens only for the target being run.
/// Adding a target is one line here: a factory returning a <see cref="FuzzTarget"/> whose
/// <see cref="FuzzTarget.Execute"/> decodes the input and throws <see cref="FuzzInvariantException"/>
/// when a property fails (<c>smc</c> shows the pattern for a booted board); nothing else in the engine
/// or the CLI changes.
/// </summary>
public sealed class FuzzTargetRegistry
{
    private readonly Dictionary<string, (string Description, Func<FuzzTargetContext, FuzzTarget> Create)> _targets = new(StringComparer.Ordinal);

    /// <summary>The built-in targets.</summary>
    public static FuzzTargetRegistry CreateDefault()
    {
        var registry = new FuzzTargetRegistry();
        registry.Add("elf", "ELF/MDT/MBN images and the hash segment: parse, mdt-loader rules, full verify", c => new ElfFuzzTarget(c));
        registry.Add("dtb", "Flattened device trees: parse, validate, print, write; output must re-parse to the same blob", c => new DtbFuzzTarget(c));
        registry.Add("overlay", "Device-tree overlays applied to a base tree, and mutated bases under the shipped overlays", c => new OverlayFuzzTarget(c));
        registry.Add("rsctable", "remoteproc resource tables: parse, and the round trip through ToBytes", _ => new ResourceTableFuzzTarget());
        registry.Add("smc", "Non-secure SMCs and DSP lifecycles against the booted default board (QHEE and KVM): nothing escapes; no readable locked carveout, no bridge bypass, no DSP access outside its mappings", _ => new SmcFuzzTarget());
        registry.Add("storage", "SCM storage calls into TrustZone's storage service: nothing escapes, flash outside the range untouched", _ => new StorageFuzzTarget());
        return registry;
    }

    public IEnumerable<string> Names => _targets.Keys.Order(StringComparer.Ordinal);

    public string Describe(string name) => _targets[name].Description;

    public bool Contains(string name) => _targets.ContainsKey(name);

    public void Add(string name, string description, Func<FuzzTargetContext, FuzzTarget> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(create);
        if (!_targets.TryAdd(name, (description, create)))
            throw new ArgumentException($"a fuzz target named '{name}' is already registered", nameof(name));
    }

    public FuzzTarget Create(string name, FuzzTargetContext context)
    {
        if (!_targets.TryGetValue(name, out var entry))
            throw new ArgumentException($"unknown fuzz target '{name}'; known targets: {string.Join(", ", Names)}", nameof(name));
        return entry.Create(context);
    }
}

/// <summary>What a target may use while it builds its corpus: extra seed directories to search for real inputs.</summary>
public sealed record FuzzTargetContext
{
    /// <summary>Directories searched (recursively) for real seed files; empty means the default search.</summary>
    public IReadOnlyList<string> CorpusDirectories { get; init; } = [];

    public static FuzzTargetContext Default { get; } = new();
}
