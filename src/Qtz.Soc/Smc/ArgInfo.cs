using System.Globalization;

namespace Qtz.Soc.Smc;

/// <summary>QCOM_SCM_VAL / RO / RW / BUFVAL: how the secure world must treat one argument (spec/scm-pas.md §1.4).</summary>
public enum ScmArgType : byte
{
    /// <summary>A plain value.</summary>
    Val = 0,

    /// <summary>The physical address of a buffer the secure world only reads.</summary>
    Ro = 1,

    /// <summary>The physical address of a buffer the secure world reads and writes.</summary>
    Rw = 2,

    /// <summary>Defined by the ABI, unused by the calls modelled here.</summary>
    BufVal = 3,
}

/// <summary>
/// The arginfo word in x1: QCOM_SCM_ARGS(n, t0..t9) = n | t0 &lt;&lt; 4 | t1 &lt;&lt; 6 | … | t9 &lt;&lt; 22.
/// Any 32-bit value decodes; <see cref="IsWellFormed"/> says whether the caller could have built it.
/// </summary>
public readonly record struct ArgInfo(uint Value)
{
    /// <summary>MAX_QCOM_SCM_ARGS.</summary>
    public const int MaxArgs = 10;

    /// <summary>Arguments carried in x2..x5 before the ext-args buffer takes x5 over.</summary>
    public const int RegisterArgs = 4;

    public static ArgInfo None => default;

    /// <summary>QCOM_SCM_ARGS with the given argument types (the count is their number).</summary>
    public static ArgInfo Of(params ReadOnlySpan<ScmArgType> types)
    {
        if (types.Length > MaxArgs)
            throw new ArgumentOutOfRangeException(nameof(types), $"an SCM call has at most {MaxArgs} arguments, not {types.Length}");
        var value = (uint)types.Length;
        for (var i = 0; i < types.Length; i++)
            value |= ((uint)types[i] & 3) << (4 + 2 * i);
        return new ArgInfo(value);
    }

    /// <summary>QCOM_SCM_ARGS(n): n plain values.</summary>
    public static ArgInfo Values(int count)
    {
        if (count is < 0 or > MaxArgs)
            throw new ArgumentOutOfRangeException(nameof(count), $"an SCM call has 0..{MaxArgs} arguments, not {count}");
        return new ArgInfo((uint)count);
    }

    /// <summary>The argument count field (4 bits, so 0..15 even though only 0..10 are valid).</summary>
    public int Count => (int)(Value & 0xF);

    /// <summary>The 2-bit type of argument <paramref name="index"/> (0..9).</summary>
    public ScmArgType TypeAt(int index) =>
        (uint)index < MaxArgs ? (ScmArgType)((Value >> (4 + 2 * index)) & 3) : ScmArgType.Val;

    /// <summary>Whether the ext-args buffer (x5) carries arguments 3 and up.</summary>
    public bool UsesExtArgs => Count > RegisterArgs;

    /// <summary>Count within 0..10 and nothing above bit 23.</summary>
    public bool IsWellFormed => Count <= MaxArgs && Value >> (4 + 2 * MaxArgs) == 0;

    public static string TypeName(ScmArgType type) => type switch
    {
        ScmArgType.Val => "val",
        ScmArgType.Ro => "ro",
        ScmArgType.Rw => "rw",
        _ => "bufval",
    };

    /// <summary>"val, rw" — the types of the first <see cref="Count"/> arguments (at most 10).</summary>
    public string TypesText()
    {
        if (Count == 0) return "none";
        var names = new string[Math.Min(Count, MaxArgs)];
        for (var i = 0; i < names.Length; i++) names[i] = TypeName(TypeAt(i));
        return string.Join(", ", names);
    }

    public override string ToString() => "0x" + Value.ToString("x", CultureInfo.InvariantCulture);
}
