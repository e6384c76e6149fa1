using Xunit;
using Qtz.Kernel;
using Qtz.Soc;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Kernel.Tests.Scm;

/// <summary>
/// A scripted secure monitor for client tests (the kernel tests cannot see Qtz.Secure): it answers
/// IS_CALL_AVAIL with 1, SHM bridge enable/create/delete with success (handles 0x100, 0x101, …), and
/// anything else with <see cref="Answer"/>. Every SMC is recorded with the virtual time it arrived.
/// </summary>
internal sealed class FakeTrustZone : ISecureMonitor
{
    private ulong _nextHandle = 0x100;

    public List<(VirtualTime Time, SmcCall Call)> Calls { get; } = [];

    public Func<SmcCall, SmcResult> Answer { get; set; } = _ => new SmcResult(0);

    /// <summary>What IS_CALL_AVAIL answers for a given (svc, cmd) argument; default: everything is available.</summary>
    public Func<ulong, bool> Available { get; set; } = _ => true;

    /// <summary>Whether SMC64 function IDs are understood at all.</summary>
    public bool Smc64 { get; set; } = true;

    public ulong EnableResult { get; set; }

    public List<(ulong Handle, ulong Address, ulong Size)> Bridges { get; } = [];

    public VirtualClock? Clock { get; set; }

    public SmcResult Handle(in SmcCall call)
    {
        Calls.Add((Clock?.Now ?? default, call));
        var id = call.FunctionId;
        if (id.Is64 && !Smc64 && call.X0 != 1) return SmcResult.FromStatus(-1);
        if (id.IsScm && id.Service == 0x06 && id.Command == 0x01) return new SmcResult(0, Available(call.X2) ? 1UL : 0UL);
        if (id.IsScm && id.Service == 0x0C && id.Command == 0x1C) return new SmcResult(0, EnableResult);
        if (id.IsScm && id.Service == 0x0C && id.Command == 0x1E)
        {
            var handle = _nextHandle++;
            Bridges.Add((handle, call.X2 & ~0xFFFUL, call.X4 & ~0xFFFUL));
            return new SmcResult(0, 0, handle);
        }

        if (id.IsScm && id.Service == 0x0C && id.Command == 0x1D)
        {
            var handle = call.X2;
            return Bridges.RemoveAll(b => b.Handle == handle) == 1 ? new SmcResult(0) : SmcResult.FromStatus(-2);
        }

        return Answer(call);
    }

    /// <summary>Calls with the given (svc, cmd), in order (resumes with x0 = 1 included when <paramref name="withResumes"/>).</summary>
    public List<(VirtualTime Time, SmcCall Call)> CallsTo(byte service, byte command, bool withResumes = true) =>
        Calls.Where(c => (c.Call.FunctionId.IsScm && c.Call.FunctionId.Service == service && c.Call.FunctionId.Command == command)
            || (withResumes && c.Call.X0 == 1)).ToList();
}

/// <summary>Bus + clock + conduit + <see cref="FakeTrustZone"/> + the kernel's <see cref="global::Qtz.Kernel.ScmClient.Scm"/> client.</summary>
internal sealed class KernelScmBench
{
    public static readonly PhysRange Ddr = new(new PhysAddr(0x8000_0000), 0x1000_0000);
    public static readonly PhysRange DmaRange = new(new PhysAddr(0x8800_0000), 0x0100_0000);

    public KernelScmBench(ScmOptions? options = null, bool probe = true, Action<FakeTrustZone>? configure = null, int exceptionLevel = 2)
    {
        Clock = new VirtualClock();
        Bus = new SystemBus(Clock);
        Bus.AddRam("ddr", Ddr.Base, Ddr.Size);
        Conduit = new SmcConduit(Bus);
        Tz = new FakeTrustZone { Clock = Clock };
        configure?.Invoke(Tz);
        Conduit.Attach(Tz);
        Dma = new DmaCoherentMemory(DmaRange);
        Scm = new global::Qtz.Kernel.ScmClient.Scm(Conduit, Bus, BusMaster.NonSecureCpu(exceptionLevel), Dma, options);
        if (probe) Assert.Equal(0, Scm.Probe());
        Tz.Calls.Clear();
    }

    public VirtualClock Clock { get; }

    public SystemBus Bus { get; }

    public SmcConduit Conduit { get; }

    public FakeTrustZone Tz { get; }

    public DmaCoherentMemory Dma { get; }

    public global::Qtz.Kernel.ScmClient.Scm Scm { get; }
}
