namespace Qtz.Soc.Signals;

/// <summary>
/// One SMP2P entry: 32 state bits written by one processor (the owner) and read by its peer. The
/// peer sees each changed bit as an edge, which is what Linux's smp2p driver turns into virtual
/// interrupts (q6v5 "fatal", "ready", "handover", "stop-ack" inbound; "stop" outbound).
/// </summary>
public sealed class Smp2pEntry(string owner, string name)
{
    private uint _bits;

    public string Owner { get; } = owner;

    public string Name { get; } = name;

    public uint Bits => Volatile.Read(ref _bits);

    /// <summary>(bit, new value) for every bit that changed.</summary>
    public event Action<int, bool>? BitChanged;

    public bool Get(int bit) => (Bits & Mask(bit)) != 0;

    /// <summary>Writes the bits under <paramref name="mask"/>, like qcom_smem_state_update_bits.</summary>
    public void Update(uint mask, uint value)
    {
        uint before, after;
        do
        {
            before = Volatile.Read(ref _bits);
            after = (before & ~mask) | (value & mask);
        }
        while (Interlocked.CompareExchange(ref _bits, after, before) != before);

        var changed = before ^ after;
        for (var bit = 0; changed != 0; bit++, changed >>= 1)
        {
            if ((changed & 1) != 0) BitChanged?.Invoke(bit, (after & (1u << bit)) != 0);
        }
    }

    public void Set(int bit, bool value) => Update(Mask(bit), value ? Mask(bit) : 0);

    /// <summary>Clears every bit without raising edges: the entry is re-created when the remote restarts.</summary>
    public void Reset() => Volatile.Write(ref _bits, 0);

    private static uint Mask(int bit) =>
        bit is >= 0 and < 32 ? 1u << bit : throw new ArgumentOutOfRangeException(nameof(bit), "SMP2P entries have 32 bits");

    public override string ToString() => $"{Owner}:{Name}=0x{Bits:x8}";
}
