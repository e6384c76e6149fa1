namespace Qtz.Fuzzing;

/// <summary>How multi-byte fields of a target's format are stored (interesting integers and length edits follow it).</summary>
public enum FuzzByteOrder
{
    LittleEndian,
    BigEndian,
}

/// <summary>
/// One thing <c>qtz fuzz</c> can exercise. A target turns bytes into work on the code under test and
/// signals a finding by letting an exception out: any exception that <see cref="IsExpectedRejection"/>
/// does not accept is a failure, and a broken invariant is reported by throwing
/// <see cref="FuzzInvariantException"/>. Targets must be deterministic for a given input (the engine
/// replays inputs to minimise them) and should keep per-input work in the millisecond range.
/// </summary>
public abstract class FuzzTarget
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public virtual FuzzByteOrder ByteOrder => FuzzByteOrder.LittleEndian;

    /// <summary>Largest input the mutator may grow an input to.</summary>
    public virtual int MaxInputLength => 1 << 20;

    /// <summary>The initial corpus: valid inputs (generated, plus real files where present).</summary>
    public abstract IReadOnlyList<byte[]> Seeds(Random random);

    /// <summary>
    /// One input in this many is freshly generated (the rest are mutants of the corpus). Targets whose
    /// generator is expensive (signing) generate more rarely, so mutants get the time.
    /// </summary>
    public virtual int GenerationRate => 8;

    /// <summary>A fresh structure-aware input, or null when the target only mutates.</summary>
    public virtual byte[]? Generate(Random random) => null;

    /// <summary>Set-up before an input, outside its time budget (e.g. rebuilding a board the last input changed).</summary>
    public virtual void Prepare()
    {
    }

    /// <summary>Runs one input. Throws only typed rejections (fine), <see cref="FuzzInvariantException"/> or a bug.</summary>
    public abstract void Execute(byte[] input);

    /// <summary>
    /// The target's typed bad-input errors: the FormatException family, and ArgumentException raised by
    /// our own code. An ArgumentException thrown by the runtime (a span slice out of range, say) is a
    /// bounds check we forgot, so it counts as a failure.
    /// </summary>
    public virtual bool IsExpectedRejection(Exception error) => error switch
    {
        FormatException => true,
        ArgumentException => FailureSignature.ThrownByOurCode(error),
        _ => false,
    };
}

/// <summary>A property the target checks after running an input did not hold.</summary>
public sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException(string invariant, string message) : base($"invariant '{invariant}' violated: {message}") => Invariant = invariant;

    public FuzzInvariantException() => Invariant = "";

    public FuzzInvariantException(string message) : base(message) => Invariant = "";

    public FuzzInvariantException(string message, Exception inner) : base(message, inner) => Invariant = "";

    public string Invariant { get; }

    /// <summary>Throws when <paramref name="holds"/> is false.</summary>
    public static void Check(bool holds, string invariant, Func<string> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!holds) throw new FuzzInvariantException(invariant, message());
    }
}
