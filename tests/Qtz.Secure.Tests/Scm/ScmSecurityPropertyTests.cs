using FsCheck;
using FsCheck.Fluent;
using Qtz.Soc;
using Xunit;
using Qtz.Secure.Scm;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Tests.Scm;

/// <summary>The dispatcher's security properties over random non-secure input (issue #3, "How it is checked").</summary>
public sealed class ScmSecurityPropertyTests
{
    private const ulong Window = 0x8040_0000;
    private const ulong WindowSize = 0x4_0000;
    private const byte Sentinel = 0x5A;

    private static Gen<T> OneOf<T>(params (int Weight, Gen<T> Gen)[] choices) => Gen.Frequency(choices);

    private static Gen<ulong> AddressNear(ulong start, ulong span) =>
        OneOf(
            (6, Gen.Choose(0, (int)span).Select(o => start + (ulong)o)),
            (2, Gen.Choose(0, (int)(span / 0x1000)).Select(p => start + (ulong)p * 0x1000 - 8)),
            (1, Gen.Elements<ulong>(0, ulong.MaxValue - 4, 0x7FFF_FFF8, SecureTestBench.DdrBase.Value + SecureTestBench.DdrSize - 4)));

    private static Gen<ulong> Length => OneOf((8, Gen.Choose(0, 0x3000).Select(l => (ulong)l)), (1, Gen.Elements(ulong.MaxValue, 1UL << 40)));

    private static Gen<ulong> AnyULong => ArbMap.Default.GeneratorFor<ulong>();

    private sealed record PointerCall(byte Command, ScmArgType Type, ulong Address, ulong Length);

    private sealed record BridgeOp(bool Create, ulong Address, ulong Size, int Pick);

    private sealed record RawCall(ulong X0, ulong X1, ulong X2, ulong X3, ulong X4, ulong X5, ulong X6, ulong X7, int Knob);

    [Fact]
    public void Random_pointer_arguments_never_reach_memory_outside_live_bridges()
    {
        var pointerCall =
            from command in Gen.Elements<byte>(2, 3)
            from type in Gen.Elements(ScmArgType.Ro, ScmArgType.Rw, ScmArgType.Val)
            from address in AddressNear(Window, WindowSize)
            from length in Length
            select new PointerCall(command, type, address, length);
        var bridge =
            from page in Gen.Choose(0, 0x3C)
            from pages in Gen.Choose(1, 8)
            select (Start: Window + (ulong)page * 0x1000, Pages: pages);
        var arb = (from bridges in bridge.ArrayOf(4) from calls in pointerCall.ArrayOf(40) select (bridges, calls)).ToArbitrary();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(arb, input =>
        {
            var (bridges, calls) = input;
            var tz = new SecureTestBench();
            tz.Bus.Fill(BusMaster.LinuxEl2, new PhysAddr(Window), WindowSize, Sentinel);
            tz.EnableBridges();
            foreach (var (start, pages) in bridges) tz.CreateBridge(start, (ulong)pages * 0x1000, nsPerm: pages % 3 == 0 ? 0x4UL : 0x6UL);
            var live = tz.World.Bridges.Live.ToList();
            foreach (var range in live.Select(b => b.Range))
                tz.Bus.Fill(BusMaster.LinuxEl2, range.Base, range.Size, 0x11);

            foreach (var (command, type, address, length) in calls)
            {
                var r = tz.Std64(EchoService.Service, command, ArgInfo.Of(type, ScmArgType.Val), address, length);
                var writes = command == 3;
                var allowedByModel = (type == ScmArgType.Rw || (type == ScmArgType.Ro && !writes))
                    && PhysRange.TryCreate(address, length, out var range)
                    && live.Any(b => b.Range.Contains(range) && (!writes || b.NonSecure.HasFlag(AccessPermissions.Write)));
                if (r.Status == ScmStatus.Success && !allowedByModel)
                    Assert.Fail($"cmd {command} {type} 0x{address:x}+0x{length:x} succeeded outside the live bridges");
                if (!writes && r.Status == ScmStatus.Success && BitConverter.GetBytes(r.X1).Contains(Sentinel))
                    Assert.Fail($"a read at 0x{address:x} returned bytes from outside every bridge");
            }

            var window = new byte[WindowSize];
            tz.Bus.Read(BusMaster.LinuxEl2, new PhysAddr(Window), window);
            var bridged = new bool[WindowSize];
            foreach (var range in live.Select(b => b.Range))
                bridged.AsSpan((int)(range.Base.Value - Window), (int)Math.Min(range.Size, Window + WindowSize - range.Base.Value)).Fill(true);
            for (var i = 0; i < window.Length; i++)
            {
                if (!bridged[i] && window[i] != Sentinel)
                    Assert.Fail($"byte 0x{Window + (ulong)i:x} outside every bridge was changed to 0x{window[i]:x2}");
            }
        }));
    }

    [Fact]
    public void Random_create_and_delete_sequences_never_leave_overlapping_bridges()
    {
        var create =
            from page in Gen.Choose(0, 0x40)
            from pages in Gen.Choose(0, 8)
            from misalign in OneOf((9, Gen.Constant(0)), (1, Gen.Choose(1, 0x1FF).Select(m => m * 8)))
            select new BridgeOp(true, Window + (ulong)page * 0x1000 + (ulong)misalign, (ulong)pages * 0x1000, 0);
        var delete = Gen.Choose(0, 20).Select(i => new BridgeOp(false, 0, 0, i));
        var arb = OneOf((3, create), (2, delete)).ArrayOf(60).ToArbitrary();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(arb, ops =>
        {
            var tz = new SecureTestBench();
            var model = new Dictionary<ulong, PhysRange>();
            foreach (var op in ops)
            {
                if (op.Create)
                {
                    var r = tz.CreateBridge(op.Address, op.Size);
                    var shouldWork = op.Size != 0 && op.Address % 0x1000 == 0
                        && !model.Values.Any(b => b.Overlaps(new PhysRange(new PhysAddr(op.Address), op.Size)));
                    Assert.Equal(shouldWork, r.Status == ScmStatus.Success);
                    if (shouldWork) model.Add(r.X2, new PhysRange(new PhysAddr(op.Address), op.Size));
                }
                else
                {
                    var handle = op.Pick < model.Count ? model.Keys.ElementAt(op.Pick) : 0xBAD0UL + (ulong)op.Pick;
                    var r = tz.DeleteBridge(handle);
                    Assert.Equal(model.Remove(handle), r.Status == ScmStatus.Success);
                }

                var live = tz.World.Bridges.Live;
                for (var i = 1; i < live.Count; i++)
                    Assert.False(live[i - 1].Range.Overlaps(live[i].Range), $"bridges {live[i - 1].Range} and {live[i].Range} overlap");
                Assert.Equal(model.Count, live.Count);
            }
        }));
    }

    [Fact]
    public void No_exception_escapes_the_dispatcher_for_any_register_values()
    {
        const int CallsPerCase = 100;
        var cases = LongRunsIterations(normal: 1_000, longRun: 50_000);
        var known = new[] { (0x0C, 0x1C), (0x0C, 0x1D), (0x0C, 0x1E), (0x0C, 0x16), (0x06, 0x01), (EchoService.Service, 1), (EchoService.Service, 2), (EchoService.Service, 3), (EchoService.Service, 4), (EchoService.Service, 5) };
        var knownFid =
            from call in Gen.Elements(known)
            from kind in Gen.Choose(0, 3)
            select (ulong)FunctionId.Create((SmcCallType)(kind & 1), (SmcConvention)(kind >> 1), SmcOwner.Sip, (byte)call.Item1, (byte)call.Item2).Value;
        var fid = OneOf((6, knownFid), (1, Gen.Constant(1UL)), (2, AnyULong));
        var arginfo = OneOf((3, Gen.Choose(0, 0xFFFFFF).Select(v => (ulong)v)), (1, AnyULong));
        var value = OneOf((4, AddressNear(Window, WindowSize)), (2, Gen.Choose(0, 0x3000).Select(v => (ulong)v)), (2, AnyULong));
        var raw =
            from x0 in fid
            from x1 in arginfo
            from x2 in value
            from x3 in value
            from x4 in value
            from x5 in value
            from x6 in value
            from x7 in value
            from knob in Gen.Choose(0, 9)
            select new RawCall(x0, x1, x2, x3, x4, x5, x6, x7, knob);
        var arb = raw.ArrayOf(CallsPerCase).ToArbitrary();

        var total = 0L;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases), Prop.ForAll(arb, calls =>
        {
            var tz = new SecureTestBench();
            ulong lastSession = 0;
            foreach (var c in calls)
            {
                if (c.Knob == 0) tz.Dispatcher.Faults.Inject(ScmFault.Interrupted, 1);
                if (c.Knob == 1) tz.Dispatcher.Faults.Inject(ScmFault.Busy, 1);
                var session = c.Knob == 2 ? lastSession : c.X6;
                var r = tz.Dispatcher.Handle(new SmcCall(SecureTestBench.Linux, c.X0, c.X1, c.X2, c.X3, c.X4, c.X5, session, c.X7));
                if (r.X0 == (ulong)ScmStatus.Interrupted) lastSession = r.X6;
                total++;
            }
        }));
        Assert.True(total >= cases * CallsPerCase);
    }

    private static int LongRunsIterations(int normal, int longRun) => Qtz.TestSupport.LongRuns.Iterations(normal, longRun);
}
