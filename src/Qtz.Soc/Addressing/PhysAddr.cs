using System.Globalization;

namespace Qtz.Soc.Addressing;

/// <summary>A physical (bus) address. Distinct from <see cref="Iova"/> so the two are never mixed up.</summary>
public readonly record struct PhysAddr(ulong Value) : IComparable<PhysAddr>
{
    public static PhysAddr Zero => default;

    public PhysAddr Add(ulong offset) => new(checked(Value + offset));

    public bool IsAligned(ulong alignment) => alignment != 0 && Value % alignment == 0;

    public PhysAddr AlignDown(ulong alignment) => new(Value - Value % alignment);

    public int CompareTo(PhysAddr other) => Value.CompareTo(other.Value);

    public static PhysAddr operator +(PhysAddr a, ulong offset) => a.Add(offset);

    public static ulong operator -(PhysAddr a, PhysAddr b) => checked(a.Value - b.Value);

    public static bool operator <(PhysAddr a, PhysAddr b) => a.Value < b.Value;

    public static bool operator >(PhysAddr a, PhysAddr b) => a.Value > b.Value;

    public static bool operator <=(PhysAddr a, PhysAddr b) => a.Value <= b.Value;

    public static bool operator >=(PhysAddr a, PhysAddr b) => a.Value >= b.Value;

    public override string ToString() => "0x" + Value.ToString("x", CultureInfo.InvariantCulture);
}
