using Qtz.Soc.Time;

namespace Qtz.Soc.Nor;

/// <summary>What a NOR command did to the array.</summary>
public enum NorOperationKind : byte
{
    Program,
    Erase,
}

/// <summary>How far a self-timed operation got.</summary>
public enum NorOutcome : byte
{
    Completed,

    /// <summary>Power was cut while it ran: the unit holds a partial, physically possible state.</summary>
    Interrupted,

    /// <summary>Power was already off: nothing happened.</summary>
    Unpowered,
}

/// <summary>
/// One program or erase as the array saw it (a flash-operation trace event): for a program, the
/// address the bytes start at (they wrap inside that page); for an erase, the aligned unit; when it
/// started and how long it was due to take.
/// </summary>
public sealed record NorOperation(
    NorOperationKind Kind,
    ulong Address,
    ulong Length,
    VirtualTime Start,
    TimeSpan Duration,
    NorOutcome Outcome)
{
    /// <summary>For a program: the bytes sent (already reduced to the last page's worth); empty for an erase.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    public VirtualTime End => Start + Duration;

    /// <summary>Applies this operation, completed, to a copy of the array (a reference model).</summary>
    public void ApplyTo(Span<byte> array, int pageSize)
    {
        if (Kind == NorOperationKind.Erase)
        {
            array.Slice((int)Address, (int)Length).Fill(0xFF);
            return;
        }

        var pageBase = (int)Address & ~(pageSize - 1);
        var data = Data.Span;
        for (var i = 0; i < data.Length; i++)
            array[pageBase + ((int)Address - pageBase + i) % pageSize] &= data[i];
    }

    public override string ToString() =>
        $"{Start} nor {Kind.ToString().ToLowerInvariant()} 0x{Address:x}+0x{Length:x} {Duration.TotalMilliseconds:0.###} ms {Outcome.ToString().ToLowerInvariant()}";
}
