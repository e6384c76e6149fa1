using System.Globalization;

namespace Qtz.Soc.Addressing;

/// <summary>A device-visible address: what a DSP puts on its bus before the SMMU translates it.</summary>
public readonly record struct Iova(ulong Value) : IComparable<Iova>
{
    public Iova Add(ulong offset) => new(checked(Value + offset));

    public bool IsAligned(ulong alignment) => alignment != 0 && Value % alignment == 0;

    public int CompareTo(Iova other) => Value.CompareTo(other.Value);

    public static Iova operator +(Iova a, ulong offset) => a.Add(offset);

    public static ulong operator -(Iova a, Iova b) => checked(a.Value - b.Value);

    public static bool operator <(Iova a, Iova b) => a.Value < b.Value;

    public static bool operator >(Iova a, Iova b) => a.Value > b.Value;

    public static bool operator <=(Iova a, Iova b) => a.Value <= b.Value;

    public static bool operator >=(Iova a, Iova b) => a.Value >= b.Value;

    public override string ToString() => "0x" + Value.ToString("x", CultureInfo.InvariantCulture);
}
