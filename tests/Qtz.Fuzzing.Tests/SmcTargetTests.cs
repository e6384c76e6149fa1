using Qtz.Fuzzing;
using Qtz.Fuzzing.Targets;
using Qtz.Soc;
using Xunit;
using Qtz.Soc.Dsp;
using Qtz.Soc.Smc;

namespace Qtz.Fuzzing.Tests;

/// <summary>The smc target reaches deep into the secure world, and reusing a booted board is invisible to the inputs.</summary>
public sealed class SmcTargetTests : IDisposable
{
    private readonly SmcFuzzTarget _target = new();

    public void Dispose() => _target.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_generated_lifecycle_restarts_a_dsp_through_trustzone(int mode)
    {
        var input = Lifecycle(mode, wrongIdOrImage: false);
        _target.Prepare();
        var board = _target.Session(mode).Board;
        var accepted = new List<string>();
        board.Pas.Traced += e => { if (e.Status == 0 && e.Code == 0) accepted.Add(e.Call); };
        Assert.Null(FuzzEngine.Replay(_target, input));
        Assert.Equal(["SHUTDOWN", "INIT_IMAGE", "AUTH_AND_RESET"], accepted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Time_passing_after_a_restart_behind_linuxs_back_runs_the_board_and_the_next_input_gets_a_fresh_one(int mode)
    {
        var input = WithPause(Lifecycle(mode, wrongIdOrImage: false), TimeSpan.FromMilliseconds(5999));
        _target.Prepare();
        var builds = _target.BoardBuilds;
        var board = _target.Session(mode).Board;
        var before = board.Clock.Now;
        Assert.Null(FuzzEngine.Replay(_target, input));
        Assert.True(board.Clock.Now - before >= TimeSpan.FromMilliseconds(5999), $"the clock moved only {board.Clock.Now - before}");
        Assert.All(board.Remoteprocs, r => Assert.Equal(DspState.Running, r.Core.State));
        _target.Prepare();
        Assert.Equal(builds + 1, _target.BoardBuilds);
        Assert.Equal(TimeSpan.Zero, _target.Session(mode).Board.Clock.Now - before);
    }

    [Fact]
    public void A_query_keeps_the_booted_board_and_a_shutdown_gets_a_fresh_one()
    {
        _target.Prepare();
        var builds = _target.BoardBuilds;
        Assert.Null(FuzzEngine.Replay(_target, Call(0, "INFO.IS_CALL_AVAIL", 0x0201)));
        Assert.Equal(builds, _target.BoardBuilds);
        Assert.Null(FuzzEngine.Replay(_target, Call(0, "PIL.PAS_SHUTDOWN", 18)));
        _target.Prepare();
        Assert.Equal(builds + 1, _target.BoardBuilds);
    }

    [Fact]
    public void Every_input_sees_what_it_would_see_on_a_freshly_booted_board()
    {
        using var fresh = new SmcFuzzTarget();
        var random = new Random(5);
        var mutator = new FuzzMutator(FuzzByteOrder.LittleEndian, _target.MaxInputLength);
        var corpus = _target.Seeds(random).ToList();
        for (var i = 0; i < 60; i++)
        {
            var input = i % 3 == 0 ? _target.Generate(random) : mutator.Mutate(corpus[random.Next(corpus.Count)], corpus[random.Next(corpus.Count)], random);
            corpus.Add(input);
            if (input.Length == 0) continue;
            fresh.Session(input[0]).Discard();
            Assert.Equal(Answers(fresh, input), Answers(_target, input));
        }
    }

    private static List<string> Answers(SmcFuzzTarget target, byte[] input)
    {
        var answers = new List<string>();
        var session = target.Session(input.Length > 0 ? input[0] : 0);
        void Record(SmcCall call, SmcResult result) => answers.Add($"{call} -> {result}");
        session.Called += Record;
        try
        {
            answers.Add(FuzzEngine.Replay(target, input)?.Signature ?? "passed");
        }
        finally
        {
            session.Called -= Record;
        }

        return answers;
    }

    private static byte[] Lifecycle(int mode, bool wrongIdOrImage)
    {
        for (var seed = 0; ; seed++)
        {
            var input = SmcFuzzTarget.Lifecycle(new Random(seed));
            if (input[0] != mode) continue;
            var (pasId, loaded, image) = (input[1 + 18], input[1 + 50 + 18], input[1 + (2 * 50) + 27]);
            var consistent = Array.IndexOf([1, 18, 30, 39, 40], pasId) == loaded && image == loaded;
            if (consistent != wrongIdOrImage) return input;
        }
    }

    /// <summary>The input with its last step a pause of <paramref name="pause"/> (replacing a generated pause, else appended).</summary>
    private static byte[] WithPause(byte[] input, TimeSpan pause)
    {
        var advance = (byte)(ScmCatalog.Calls.Count + 2);
        var last = input.Length - 50;
        var bytes = input[last] == advance ? input.ToArray() : [.. input, .. new byte[50]];
        last = bytes.Length - 50;
        bytes[last] = advance;
        BitConverter.TryWriteBytes(bytes.AsSpan(last + 18), (ulong)pause.TotalMilliseconds);
        return bytes;
    }

    private static byte[] Call(int mode, string name, ulong x2)
    {
        var input = new byte[1 + 50];
        input[0] = (byte)mode;
        input[1] = (byte)ScmCatalog.Calls.ToList().FindIndex(c => c.Name == name);
        BitConverter.TryWriteBytes(input.AsSpan(1 + 18), x2);
        return input;
    }
}
