using Qtz.Platform.Boards;
using BenchmarkDotNet.Attributes;
using Qtz.Kernel;
using Qtz.Platform;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.Kernel.ScmClient;
using Qtz.Secure.Scm;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Benchmarks.Scm;

/// <summary>
/// Cost of one SCM call: raw dispatch of random registers (what the 100,000-call fuzz test does), and
/// full kernel-client round trips with register-only and ext-args arguments.
/// <c>dotnet run -c Release --project bench/Qtz.Benchmarks -- --filter '*ScmCall*' --job short --inProcess</c>
/// </summary>
[MemoryDiagnoser]
public class ScmCallBenchmarks
{
    private const int Batch = 1000;
    private SecureChannel _channel = null!;
    private SmcCall[] _random = [];
    private ScmDesc _fourArgs = null!;
    private ScmDesc _tenArgs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _channel = new SecureChannel(addServices: services => services.Add(0x42, 0x01, static request => ScmReply.Ok((ulong)request.ArgCount)));
        var random = new Random(1);
        _random = [.. Enumerable.Range(0, Batch).Select(_ => new SmcCall(
            BusMaster.LinuxEl2,
            random.Next(4) == 0 ? (ulong)random.NextInt64() : 0x42004201UL,
            (ulong)random.Next(0, 0x1000),
            (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(),
            0xA000_0000UL + (ulong)random.Next(0, 0x10000)))];
        _fourArgs = new ScmDesc(0x42, 0x01, ArgInfo.Values(4), 1, 2, 3, 4);
        _tenArgs = new ScmDesc(0x42, 0x01, ArgInfo.Values(10), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "dispatcher: random registers")]
    public ulong DispatchRandom()
    {
        ulong sum = 0;
        foreach (var call in _random) sum += _channel.Dispatcher.Handle(call).X0;
        return sum;
    }

    [Benchmark(Description = "Scm.Call: 4 args in registers")]
    public int CallFourArgs() => _channel.Scm.Call(_fourArgs, out _);

    [Benchmark(Description = "Scm.Call: 10 args via ext-args")]
    public int CallTenArgs() => _channel.Scm.Call(_tenArgs, out _);
}
