using Qtz.Kernel;
using Qtz.Kernel.Pas;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Soc.Dsp;
using Qtz.Soc.Signals;
using Qtz.Soc.SystemMmu;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Tests.Pas;

/// <summary>spec/socs.md §4.1-4.2: the generic layer's forwarding, no-backend answers and registration.</summary>
public sealed class QcomPasTests
{
    private sealed class RecordingOps(string name) : IPasOps
    {
        public List<string> Calls { get; } = [];

        public string DriverName => name;

        public bool Supported(uint pasId) { Calls.Add($"supported {pasId}"); return true; }

        public int InitImage(uint pasId, ReadOnlySpan<byte> metadata, PasContext? context) { Calls.Add($"init {pasId} {metadata.Length}"); return 0; }

        public int MemSetup(uint pasId, PhysAddr address, ulong size) { Calls.Add($"mem {pasId}"); return 0; }

        public int GetRscTable(PasContext context, ReadOnlySpan<byte> inputTable, out byte[]? table) { Calls.Add("rsc"); table = [1]; return 0; }

        public int PrepareAndAuthReset(PasContext context) { Calls.Add("prepare"); return 0; }

        public int AuthAndReset(uint pasId) { Calls.Add($"auth {pasId}"); return 0; }

        public int SetRemoteState(uint state, uint pasId) { Calls.Add($"state {state} {pasId}"); return 0; }

        public int Shutdown(uint pasId) { Calls.Add($"shutdown {pasId}"); return -5; }

        public void MetadataRelease(PasContext context) => Calls.Add("release");
    }

    private const int ENODEV = -(int)Errno.ENODEV;
    private const int EINVAL = -(int)Errno.EINVAL;

    [Fact]
    public void Without_a_backend_every_int_call_is_ENODEV_supported_is_false_and_nothing_is_available()
    {
        var pas = new QcomPas();
        var ctx = pas.ContextAlloc(1, new PhysAddr(0x9000_0000), 0x1000);
        Assert.False(pas.IsAvailable());
        Assert.Null(pas.BackendName);
        Assert.False(pas.Supported(1));
        Assert.Equal(ENODEV, pas.InitImage(1, [1, 2], ctx));
        Assert.Equal(ENODEV, pas.MemSetup(1, new PhysAddr(0x9000_0000), 0x1000));
        Assert.Equal(ENODEV, pas.GetRscTable(ctx, [], out var table));
        Assert.Null(table);
        Assert.Equal(ENODEV, pas.AuthAndReset(1));
        Assert.Equal(ENODEV, pas.PrepareAndAuthReset(ctx));
        Assert.Equal(ENODEV, pas.SetRemoteState(1, 9));
        Assert.Equal(ENODEV, pas.Shutdown(1));
        pas.MetadataRelease(ctx); // no-op, no throw
    }

    [Fact]
    public void A_null_context_is_EINVAL_for_get_rsc_table_and_prepare_and_a_no_op_for_release()
    {
        var pas = new QcomPas();
        var ops = new RecordingOps("a");
        pas.Register(ops);
        Assert.Equal(EINVAL, pas.GetRscTable(null, [], out _));
        Assert.Equal(EINVAL, pas.PrepareAndAuthReset(null));
        pas.MetadataRelease(null);
        pas.MetadataRelease(pas.ContextAlloc(1, new PhysAddr(0x9000_0000), 0x1000)); // no metadata held: not forwarded
        Assert.Empty(ops.Calls);
    }

    [Fact]
    public void Every_call_is_forwarded_to_the_registered_backend_with_its_result()
    {
        var pas = new QcomPas();
        var ops = new RecordingOps("a");
        pas.Register(ops);
        var ctx = pas.ContextAlloc(18, new PhysAddr(0x9000_0000), 0x1000);
        Assert.True(pas.Supported(18));
        Assert.Equal(0, pas.InitImage(18, [1, 2, 3], ctx));
        Assert.Equal(0, pas.MemSetup(18, new PhysAddr(0x9000_0000), 0x1000));
        Assert.Equal(0, pas.GetRscTable(ctx, [], out var table));
        Assert.Equal([1], table);
        Assert.Equal(0, pas.PrepareAndAuthReset(ctx));
        Assert.Equal(0, pas.AuthAndReset(18));
        Assert.Equal(0, pas.SetRemoteState(2, 9));
        Assert.Equal(-5, pas.Shutdown(18));
        Assert.Equal(["supported 18", "init 18 3", "mem 18", "rsc", "prepare", "auth 18", "state 2 9", "shutdown 18"], ops.Calls);
    }

    [Fact]
    public void The_first_registration_wins_and_a_second_is_logged_as_already_registered_by_the_first()
    {
        var pas = new QcomPas();
        var log = new List<string>();
        pas.Logged += log.Add;
        var first = new RecordingOps("qcom_scm");
        var second = new RecordingOps("qcom-pas-tee");
        Assert.True(pas.Register(first));
        Assert.False(pas.Register(second));
        Assert.Equal("qcom_scm", pas.BackendName);
        Assert.Contains(log, l => l.Contains("qcom-pas-tee: already registered by qcom_scm", StringComparison.Ordinal));
        pas.AuthAndReset(1);
        Assert.Single(first.Calls);
        Assert.Empty(second.Calls);
    }

    [Fact]
    public void Unregister_clears_the_backend_whoever_asks_and_a_new_one_may_then_register()
    {
        var pas = new QcomPas();
        pas.Register(new RecordingOps("qcom_scm"));
        pas.Unregister();
        Assert.False(pas.IsAvailable());
        Assert.Equal(ENODEV, pas.Shutdown(1));
        Assert.True(pas.Register(new RecordingOps("qcom-pas-tee")));
        Assert.Equal("qcom-pas-tee", pas.BackendName);
    }
}
