namespace Qtz.Soc.Addressing;

/// <summary>
/// A half-open physical range [Base, Base + Size). Sizes are never zero and the end never wraps past
/// 2^64: the constructor checks both, so every comparison below is overflow-free.
/// </summary>
public readonly record struct PhysRange
{
    public PhysRange(PhysAddr @base, ulong size)
    {
        if (size == 0)
            throw new ArgumentOutOfRangeException(nameof(size), $"a range at {@base} must not be empty");
        if (size - 1 > ulong.MaxValue - @base.Value)
            throw new ArgumentOutOfRangeException(nameof(size), $"range at {@base} of 0x{size:x} bytes wraps past the top of the address space");
        Base = @base;
        Size = size;
    }

    public PhysAddr Base { get; }

    public ulong Size { get; }

    /// <summary>The last byte inside the range (inclusive, so a range ending at 2^64 is representable).</summary>
    public PhysAddr Last => new(Base.Value + (Size - 1));

    /// <summary>Whether [address, address + length) lies wholly inside this range (length 0 never does).</summary>
    public bool Contains(PhysAddr address, ulong length = 1) =>
        length != 0 && address >= Base && address.Value - Base.Value <= Size - 1
        && length - 1 <= Last.Value - address.Value;

    public bool Contains(PhysRange other) => Contains(other.Base, other.Size);

    public bool Overlaps(PhysRange other) => Base <= other.Last && other.Base <= Last;

    public static bool TryCreate(ulong @base, ulong size, out PhysRange range)
    {
        if (size == 0 || size - 1 > ulong.MaxValue - @base)
        {
            range = default;
            return false;
        }

        range = new PhysRange(new PhysAddr(@base), size);
        return true;
    }

    public override string ToString() => $"[{Base}..{Last}] (0x{Size:x} bytes)";
}
