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

/// <summary>spec/socs.md §4.4: the OP-TEE backend's session, command ids, parameter layouts, two-pass table and error mapping, decoded from memory.</summary>
public sealed class OpteePasOpsTests
{
    private const ulong ValueIn = (ulong)OpteeParamType.ValueInput;
    private static readonly OpteeMsgParam None = new(0, 0, 0, 0);

    private static (FakeOptee Tee, QcomPas Pas, OpteePasOps Ops) Probed()
    {
        var tee = new FakeOptee();
        var pas = new QcomPas();
        Assert.Equal(0, OpteePasOps.Probe(tee.Client, pas, out var ops));
        return (tee, pas, ops!);
    }

    private static SentMessage LastInvoke(FakeOptee tee) => tee.Invokes.Last();

    [Fact]
    public void Probe_opens_a_session_to_the_PAS_TA_by_UUID_with_the_REE_kernel_login_and_registers_qcom_pas_tee()
    {
        var (tee, pas, _) = Probed();
        var open = Assert.Single(tee.Sent, m => m.Header.Cmd == OpteeMsg.CmdOpenSession);
        Assert.Equal(OpteeMsg.AttrMeta | ValueIn, open.Params[0].Attr);
        Span<byte> uuid = stackalloc byte[16];
        BitConverter.TryWriteBytes(uuid, open.Params[0].A);
        BitConverter.TryWriteBytes(uuid[8..], open.Params[0].B);
        Assert.Equal(QcomPasTa.UuidText, new Guid(uuid, bigEndian: true).ToString());
        Assert.Equal(TeeResult.LoginReeKernel, (uint)open.Params[1].C);
        Assert.Equal("qcom-pas-tee", pas.BackendName);
    }

    [Fact]
    public void A_session_the_TA_refuses_registers_nothing_and_probe_fails_with_EINVAL()
    {
        var tee = new FakeOptee { OpenSessionResult = TeeResult.AccessDenied };
        var pas = new QcomPas();
        Assert.Equal(-(int)Errno.EINVAL, OpteePasOps.Probe(tee.Client, pas, out var ops));
        Assert.Null(ops);
        Assert.False(pas.IsAvailable());
    }

    [Fact]
    public void IS_SUPPORTED_sends_command_1_with_the_pas_id_in_value_a_and_three_empty_params()
    {
        var (tee, pas, _) = Probed();
        Assert.True(pas.Supported(18));
        var m = LastInvoke(tee);
        Assert.Equal(QcomPasTa.IsSupported, m.Header.Func);
        Assert.Equal(7u, m.Header.Session);
        Assert.Equal([new OpteeMsgParam(ValueIn, 18, 0, 0), None, None, None], m.Params);
        tee.Invoke = (_, _) => TeeResult.NotSupported;
        Assert.False(pas.Supported(18));
    }

    [Fact]
    public void INIT_IMAGE_sends_command_3_with_the_metadata_in_a_registered_shm_of_exactly_its_size()
    {
        var (tee, pas, ops) = Probed();
        byte[] metadata = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        var ctx = pas.ContextAlloc(1, new PhysAddr(0x9000_0000), 0x20_0000);
        Assert.Equal(0, pas.InitImage(1, metadata, ctx));
        var m = LastInvoke(tee);
        Assert.Equal(QcomPasTa.InitImage, m.Header.Func);
        Assert.Equal(new OpteeMsgParam(ValueIn, 1, 0, 0), m.Params[0]);
        Assert.Equal(OpteeParamType.RmemInput, m.Params[1].Type);
        Assert.Equal((0UL, 300UL), (m.Params[1].A, m.Params[1].B));
        Assert.Equal(metadata, m.MemrefBytes[1]);
        Assert.Equal([None, None], m.Params[2..]);
        Assert.True(ctx.HasMetadata);
        Assert.Equal(1, ops.Tee.LiveShm);
    }

    [Fact]
    public void The_metadata_shm_is_kept_in_the_context_until_metadata_release_and_freed_at_once_without_one()
    {
        var (tee, pas, ops) = Probed();
        var ctx = pas.ContextAlloc(1, new PhysAddr(0x9000_0000), 0x20_0000);
        pas.InitImage(1, [1, 2, 3], ctx);
        Assert.Equal(1, ops.Tee.LiveShm);
        pas.MetadataRelease(ctx);
        Assert.False(ctx.HasMetadata);
        Assert.Equal(0, ops.Tee.LiveShm);
        Assert.Equal(OpteeMsg.CmdUnregisterShm, tee.Sent[^1].Header.Cmd);

        Assert.Equal(0, pas.InitImage(1, [1, 2, 3], null));
        Assert.Equal(0, ops.Tee.LiveShm);
        tee.Invoke = (_, _) => TeeResult.Security;
        Assert.Equal(-(int)Errno.EINVAL, pas.InitImage(1, [1, 2, 3], ctx));
        Assert.False(ctx.HasMetadata);
        Assert.Equal(0, ops.Tee.LiveShm);
    }

    [Fact]
    public void MEM_SETUP_sends_command_4_with_pas_id_and_size_then_the_address_split_low_high()
    {
        var (tee, pas, _) = Probed();
        Assert.Equal(0, pas.MemSetup(18, new PhysAddr(0x1_9B80_0000), 0x2F000));
        var m = LastInvoke(tee);
        Assert.Equal(QcomPasTa.MemSetup, m.Header.Func);
        Assert.Equal([new OpteeMsgParam(ValueIn, 18, 0x2F000, 0), new OpteeMsgParam(ValueIn, 0x9B80_0000, 0x1, 0), None, None], m.Params);
    }

    [Fact]
    public void AUTH_AND_RESET_sends_command_6_with_zero_carveout_and_an_empty_memref_when_plain()
    {
        var (tee, pas, _) = Probed();
        Assert.Equal(0, pas.AuthAndReset(1));
        var m = LastInvoke(tee);
        Assert.Equal(QcomPasTa.AuthAndReset, m.Header.Func);
        Assert.Equal([new OpteeMsgParam(ValueIn, 1, 0, 0), new OpteeMsgParam(ValueIn, 0, 0, 0), new OpteeMsgParam((ulong)OpteeParamType.TmemInput, 0, 0, 0), None], m.Params);
    }

    [Fact]
    public void Prepare_and_auth_reset_sends_the_carveout_with_its_size_truncated_to_value_b_32_bits()
    {
        var (tee, pas, _) = Probed();
        var ctx = pas.ContextAlloc(30, new PhysAddr(0x2_9D70_0000), 0x1_0000_2000);
        Assert.Equal(0, pas.PrepareAndAuthReset(ctx));
        var m = LastInvoke(tee);
        Assert.Equal(new OpteeMsgParam(ValueIn, 30, 0x2000, 0), m.Params[0]);
        Assert.Equal(new OpteeMsgParam(ValueIn, 0x9D70_0000, 0x2, 0), m.Params[1]);
        Assert.Equal(OpteeParamType.TmemInput, m.Params[2].Type);
    }

    [Fact]
    public void SET_REMOTE_STATE_and_SHUTDOWN_send_commands_7_and_8_with_the_pas_id_first()
    {
        var (tee, pas, _) = Probed();
        Assert.Equal(0, pas.SetRemoteState(2, 9));
        Assert.Equal((QcomPasTa.SetRemoteState, new OpteeMsgParam(ValueIn, 9, 2, 0)), (LastInvoke(tee).Header.Func, LastInvoke(tee).Params[0]));
        Assert.Equal(0, pas.Shutdown(9));
        Assert.Equal((QcomPasTa.Shutdown, new OpteeMsgParam(ValueIn, 9, 0, 0)), (LastInvoke(tee).Header.Func, LastInvoke(tee).Params[0]));
    }

    [Fact]
    public void GET_RESOURCE_TABLE_asks_the_size_with_a_null_memref_then_sends_the_input_in_a_shm_of_that_size()
    {
        var (tee, pas, ops) = Probed();
        byte[] input = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xAA, 0xBB];
        byte[] answer = [.. Enumerable.Range(0, 40).Select(i => (byte)(i + 1))];
        tee.Invoke = (h, p) =>
        {
            if (p[1].IsTmem) p[1] = p[1] with { B = 64 }; // the size query: 64 bytes needed
            else
            {
                tee.WriteMemref(p[1], answer);
                p[1] = p[1] with { B = (ulong)answer.Length };
            }

            return TeeResult.Success;
        };
        var ctx = pas.ContextAlloc(1, new PhysAddr(0x9000_0000), 0x1000);
        Assert.Equal(0, pas.GetRscTable(ctx, input, out var table));
        var (query, fill) = (tee.Invokes.First(), tee.Invokes.Last());
        Assert.Equal(2, tee.Invokes.Count());
        Assert.Equal(new OpteeMsgParam((ulong)OpteeParamType.TmemInout, 0, (ulong)input.Length, 0), query.Params[1]);
        Assert.Equal(OpteeParamType.RmemInout, fill.Params[1].Type);
        Assert.Equal(64UL, fill.Params[1].B);
        Assert.Equal(input, fill.MemrefBytes[1]![..input.Length]);
        Assert.Equal(answer, table);
        Assert.Equal(0, ops.Tee.LiveShm);
    }

    [Fact]
    public void GET_RESOURCE_TABLE_with_a_needed_size_below_the_input_returns_no_table_and_sends_one_invoke()
    {
        var (tee, pas, _) = Probed();
        tee.Invoke = (_, p) =>
        {
            p[1] = p[1] with { B = 8 };
            return TeeResult.Success;
        };
        var ctx = pas.ContextAlloc(1, new PhysAddr(0x9000_0000), 0x1000);
        Assert.Equal(0, pas.GetRscTable(ctx, new byte[32], out var table));
        Assert.Null(table);
        Assert.Single(tee.Invokes);
    }

    [Fact]
    public void A_non_zero_TA_result_is_EINVAL_whatever_it_says()
    {
        var (tee, pas, _) = Probed();
        foreach (var result in new[] { TeeResult.Security, TeeResult.BadState, TeeResult.OutOfMemory, TeeResult.ShortBuffer })
        {
            tee.Invoke = (_, _) => result;
            Assert.Equal(-(int)Errno.EINVAL, pas.AuthAndReset(1));
            Assert.Equal(-(int)Errno.EINVAL, pas.Shutdown(1));
        }
    }

    [Fact]
    public void An_invoke_the_driver_cannot_deliver_returns_the_invoke_error_not_EINVAL()
    {
        var (tee, pas, _) = Probed();
        tee.SmcFailure = OpteeMsg.ReturnBadAddress;
        Assert.Equal(-(int)Errno.EIO, pas.AuthAndReset(1));
        Assert.Equal(-(int)Errno.EIO, pas.MemSetup(1, new PhysAddr(0x9000_0000), 0x1000));
    }
}
