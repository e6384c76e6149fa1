using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Dsp;
using Qtz.Soc.SystemMmu;

namespace Qtz.Linux.Remoteproc;

/// <summary>
/// An apps SMMU the guest kernel programs itself (a KVM host at EL2 with the EL2 PAS path: arm-smmu plus
/// qcom_q6v5_pas with <c>iommus</c>). QEMU has no SMMU-500, so its register window is a page range of the
/// guest's RAM that the guest DT reserves <c>no-map</c> (arm64's ioremap accepts no-map memory) and names
/// as the board's SMMU. qtz writes the ID registers of its own SMMU-500 model there before boot; Linux
/// writes stream-match, S2CR, CBAR and context-bank registers as plain memory; the registers it polls
/// (sTLBGSTATUS, TLBSTATUS) read 0 = done because it never writes them. Before each DSP access qtz copies
/// the configuration registers into its model (<see cref="Sync"/>) and drops the model's TLBs (Linux's TLB
/// invalidations land in RAM, not in the model), so the DSP translates through the tables Linux wrote.
/// </summary>
public sealed class GuestSmmuWindow
{
    /// <summary>Where the window sits: in the guest's RAM, below the mailbox, clear of the kernel's load area.</summary>
    public static readonly PhysAddr Base = new(0x7f00_0000);

    private static readonly int[] IdRegisters = [SmmuRegisters.Id0, SmmuRegisters.Id1, SmmuRegisters.Id2, SmmuRegisters.Id7];

    private static readonly int[] BankRegisters =
    [
        SmmuRegisters.CbTcr2, SmmuRegisters.CbTtbr0, SmmuRegisters.CbTtbr0 + 4, SmmuRegisters.CbTtbr1, SmmuRegisters.CbTtbr1 + 4,
        SmmuRegisters.CbTcr, SmmuRegisters.CbMair0, SmmuRegisters.CbMair1, SmmuRegisters.CbSctlr,
    ];

    private readonly SystemBus _bus;
    private readonly Smmu _model;
    private readonly Lock _sync = new();

    public GuestSmmuWindow(SystemBus bus, Smmu model)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(model);
        _bus = bus;
        _model = model;
    }

    public PhysRange Range => new(Base, _model.WindowSize);

    public int ContextBanks => _model.Options.ContextBanks;

    /// <summary>Syncs performed (one per DSP access while a guest-programmed stream is in use).</summary>
    public long Syncs { get; private set; }

    /// <summary>Writes the model's ID registers into the window (everything else reads 0 until Linux writes it).</summary>
    public void Prefill()
    {
        _bus.Fill(Master, Base, Range.Size, 0);
        foreach (var offset in IdRegisters)
        {
            _model.Read(Master, (ulong)offset, 4, out var value);
            _bus.WriteUInt32(Master, Base + (ulong)offset, (uint)value);
        }
    }

    /// <summary>Copies what Linux wrote (SMRs, S2CRs, CBARs, CBA2Rs, context banks, sCR0) into qtz's model.</summary>
    public void Sync()
    {
        lock (_sync)
        {
            var pages = Range.Size / 2 / SmmuRegisters.PageSize;
            for (var n = 0; n < _model.Options.StreamMatchGroups; n++)
            {
                Copy(SmmuRegisters.S2crBase + (4UL * (ulong)n));
                Copy(SmmuRegisters.SmrBase + (4UL * (ulong)n));
            }

            for (var n = 0; n < ContextBanks; n++)
            {
                Copy(SmmuRegisters.PageSize + (ulong)SmmuRegisters.CbarBase + (4UL * (ulong)n));
                Copy(SmmuRegisters.PageSize + (ulong)SmmuRegisters.Cba2rBase + (4UL * (ulong)n));
                var bank = (pages + (ulong)n) * SmmuRegisters.PageSize;
                foreach (var r in BankRegisters) Copy(bank + (ulong)r);
            }

            Copy(SmmuRegisters.SCr0);
            _model.Write(Master, SmmuRegisters.TlbiAllNsnh, 4, 0);
            Syncs++;
        }
    }

    /// <summary>A DSP's memory port that syncs the model before every access.</summary>
    public IDspMemoryPort Port(IDspMemoryPort inner) => new SyncingPort(this, inner);

    private static BusMaster Master => BusMaster.LinuxEl2;

    private void Copy(ulong offset)
    {
        _bus.ReadUInt32(Master, Base + offset, out var value);
        _model.Write(Master, offset, 4, value);
    }

    private sealed class SyncingPort(GuestSmmuWindow window, IDspMemoryPort inner) : IDspMemoryPort
    {
        public SmmuAccessResult Read(Iova iova, Span<byte> destination, AccessKind kind)
        {
            window.Sync();
            return inner.Read(iova, destination, kind);
        }

        public SmmuAccessResult Write(Iova iova, ReadOnlySpan<byte> source)
        {
            window.Sync();
            return inner.Write(iova, source);
        }
    }
}
