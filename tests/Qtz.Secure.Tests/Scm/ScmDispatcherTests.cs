using Qtz.Soc;
using Xunit;
using Qtz.Secure.HypAssign;
using Qtz.Secure.Scm;
using Qtz.Secure.ShmBridges;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Tests.Scm;

public sealed class ScmDispatcherTests
{
    private const ulong Buffer = 0x8010_0000;

    private readonly SecureTestBench _tz = new();

    [Fact]
    public void Registered_call_is_routed_with_its_register_arguments()
    {
        var r = _tz.Std64(EchoService.Service, 1, ArgInfo.Values(4), 10, 20, 30, 40);
        Assert.Equal(new SmcResult(0, 4, 100, 40), r);
    }

    [Fact]
    public void More_than_four_arguments_are_read_from_the_SMC64_ext_args_buffer_at_x5()
    {
        _tz.WriteUInt64s(Buffer, 4, 5, 6, 7, 8, 9, 0x1_0000_000A);
        var r = _tz.Std64(EchoService.Service, 1, ArgInfo.Values(10), 1, 2, 3, Buffer);
        Assert.Equal([1UL, 2, 3, 4, 5, 6, 7, 8, 9, 0x1_0000_000A], _tz.Echo.Calls.Single());
        Assert.Equal(ScmStatus.Success, r.Status);
    }

    [Fact]
    public void SMC32_ext_args_are_32_bit_entries_and_register_arguments_are_truncated()
    {
        _tz.WriteUInt32s(Buffer, 4, 5, 6, 0, 0, 0, 0);
        var id = FunctionId.Create(SmcCallType.Std, SmcConvention.Smc32, SmcOwner.Sip, EchoService.Service, 1);
        var r = _tz.Dispatcher.Handle(new SmcCall(SecureTestBench.Linux, id.Value, 6, 0xFFFF_FFFF_0000_0001, 2, 3, Buffer));
        Assert.Equal([1UL, 2, 3, 4, 5, 6], _tz.Echo.Calls.Single());
        Assert.Equal(6UL, r.X1);
    }

    [Fact]
    public void SMC32_results_are_32_bit()
    {
        var id = FunctionId.Create(SmcCallType.Std, SmcConvention.Smc32, SmcOwner.Sip, EchoService.Service, 5);
        var r = _tz.Dispatcher.Handle(new SmcCall(SecureTestBench.Linux, id.Value, 1, 0x1_0000_0007));
        Assert.Equal(7UL, r.X1);
    }

    [Fact]
    public void Unknown_service_or_command_answers_SMCCC_not_supported()
    {
        Assert.Equal(ScmStatus.Error, _tz.Std64(0x77, 0x01, ArgInfo.None).Status);
        Assert.Equal(ScmStatus.Error, _tz.Std64(EchoService.Service, 0x99, ArgInfo.None).Status);
    }

    [Fact]
    public void Negative_status_is_sign_extended_to_64_bits() =>
        Assert.Equal(0xFFFF_FFFF_FFFF_FFFDUL, _tz.Std64(ScmCatalog.Mp, ShmBridgeService.CreateCommand, ArgInfo.Values(4), 0x8000_0800, 0x8000_0000, 0x1000, 3).X0);

    [Fact]
    public void Non_SiP_owner_answers_not_supported() =>
        Assert.Equal(ScmStatus.Error, _tz.Smc(FunctionId.Create(SmcCallType.Fast, SmcConvention.Smc64, SmcOwner.Oem, EchoService.Service, 1), ArgInfo.None).Status);

    [Fact]
    public void More_than_ten_arguments_are_an_invalid_argument() =>
        Assert.Equal(ScmStatus.InvalidArgument, _tz.Std64(EchoService.Service, 1, new ArgInfo(11), 1, 2, 3, Buffer).Status);

    [Fact]
    public void IS_CALL_AVAIL_answers_one_for_registered_calls_and_itself_and_zero_otherwise()
    {
        ulong Ask(byte svc, byte cmd) => _tz.Std64(ScmCatalog.Info, ScmCatalog.IsCallAvailable, ArgInfo.Values(1), (2UL << 24) | ((ulong)svc << 8) | cmd).X1;
        Assert.Equal(1UL, Ask(ScmCatalog.Info, ScmCatalog.IsCallAvailable));
        Assert.Equal(1UL, Ask(ScmCatalog.Mp, ShmBridgeService.CreateCommand));
        Assert.Equal(1UL, Ask(ScmCatalog.Mp, HypAssignService.AssignCommand));
        Assert.Equal(1UL, Ask(EchoService.Service, 5));
        Assert.Equal(0UL, Ask(ScmCatalog.Pil, 0x01));
        Assert.Equal(0UL, Ask(EchoService.Service, 6));
    }

    [Fact]
    public void Service_error_travels_in_x1_with_x0_zero() =>
        Assert.Equal(new SmcResult(0, 9), _tz.Std64(EchoService.Service, 5, ArgInfo.Values(1), 9));

    [Fact]
    public void Service_status_travels_in_x0() =>
        Assert.Equal(ScmStatus.NoMemory, _tz.Std64(EchoService.Service, 4, ArgInfo.Values(1), unchecked((ulong)ScmStatus.NoMemory)).Status);

    [Fact]
    public void Ext_args_buffer_outside_RAM_is_an_invalid_address() =>
        Assert.Equal(ScmStatus.InvalidAddress, _tz.Std64(EchoService.Service, 1, ArgInfo.Values(5), 1, 2, 3, 0x10).Status);

    [Fact]
    public void Ext_args_buffer_outside_a_bridge_is_refused_once_bridges_are_on()
    {
        _tz.EnableBridges();
        Assert.Equal(ScmStatus.InvalidAddress, _tz.Std64(EchoService.Service, 1, ArgInfo.Values(5), 1, 2, 3, Buffer).Status);
        _tz.CreateBridge(Buffer, 0x1000);
        Assert.Equal(ScmStatus.Success, _tz.Std64(EchoService.Service, 1, ArgInfo.Values(5), 1, 2, 3, Buffer).Status);
    }

    [Fact]
    public void Injected_busy_answers_EBUSY_without_running_the_service()
    {
        _tz.Dispatcher.Faults.Inject(ScmFault.Busy, 2, EchoService.Service, 1);
        Assert.Equal(ScmStatus.Busy, _tz.Std64(EchoService.Service, 1, ArgInfo.None).Status);
        Assert.Equal(ScmStatus.Busy, _tz.Std64(EchoService.Service, 1, ArgInfo.None).Status);
        Assert.Empty(_tz.Echo.Calls);
        Assert.Equal(ScmStatus.Success, _tz.Std64(EchoService.Service, 1, ArgInfo.None).Status);
    }

    [Fact]
    public void Injected_interruption_hands_out_a_session_that_x0_one_resumes()
    {
        _tz.Dispatcher.Faults.Inject(ScmFault.Interrupted, 1);
        var first = _tz.Std64(EchoService.Service, 1, ArgInfo.Values(1), 5);
        Assert.Equal(ScmStatus.Interrupted, first.Status);
        Assert.NotEqual(0UL, first.X6);
        Assert.Empty(_tz.Echo.Calls);

        var resumed = _tz.Dispatcher.Handle(new SmcCall(SecureTestBench.Linux, 1, 1, 5, X6: first.X6));
        Assert.Equal(new SmcResult(0, 1, 5, 5), resumed);
    }

    [Fact]
    public void Resume_with_an_unknown_session_is_refused()
    {
        Assert.Equal(ScmStatus.Error, _tz.Dispatcher.Handle(new SmcCall(SecureTestBench.Linux, 1, X6: 0x1234)).Status);
    }

    [Fact]
    public void A_session_resumes_once()
    {
        _tz.Dispatcher.Faults.Inject(ScmFault.Interrupted, 1);
        var first = _tz.Std64(EchoService.Service, 1, ArgInfo.None);
        var resume = new SmcCall(SecureTestBench.Linux, 1, X6: first.X6);
        Assert.Equal(ScmStatus.Success, _tz.Dispatcher.Handle(resume).Status);
        Assert.Equal(ScmStatus.Error, _tz.Dispatcher.Handle(resume).Status);
    }

    [Fact]
    public void A_32_bit_only_TZ_does_not_know_SMC64_ids()
    {
        var tz = new ScmDispatcher(_tz.World, new ScmServiceTable.Builder().Add(new EchoService()).Build()) { Smc64Supported = false };
        var id64 = FunctionId.Create(SmcCallType.Fast, SmcConvention.Smc64, SmcOwner.Sip, ScmCatalog.Info, ScmCatalog.IsCallAvailable);
        Assert.Equal(ScmStatus.Error, tz.Handle(new SmcCall(SecureTestBench.Linux, id64.Value, 1)).Status);
    }

    [Fact]
    public void A_service_that_answers_interrupted_is_run_again_on_resume()
    {
        var runs = 0;
        var tz = new SecureTestBench(extra: services => services.Add(0x43, 0x01, _ => ++runs < 3 ? ScmReply.Interrupted : ScmReply.Ok((ulong)runs)));
        var r = tz.Std64(0x43, 0x01, ArgInfo.None);
        while (r.Status == ScmStatus.Interrupted)
            r = tz.Dispatcher.Handle(new SmcCall(SecureTestBench.Linux, 1, X6: r.X6));
        Assert.Equal(new SmcResult(0, 3), r);
    }
}
