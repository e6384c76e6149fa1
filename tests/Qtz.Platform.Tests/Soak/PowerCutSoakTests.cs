using System.Diagnostics;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Boards;
using Qtz.Platform.Tests.Soak;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;
using Qtz.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Qtz.Platform.Tests.Soak;

/// <summary>
/// Issue 9 item 3, second half: seeded power cuts during read, write, erase and flashcp-style copy
/// requests (random offsets and lengths, both TZ WRITE semantics) through the whole stack. After each
/// cut: every byte outside the unit in flight is exactly what the chip's completed operations made it
/// (its journal); every byte is a state the request could leave (a reference model built from the
/// request alone); a completed read returned the flash; the kernel and TZ hold what they held before
/// the request (bounce buffer, tzmem, bridges); and after power returns under a copy, the flash reads
/// back as it is and the copy's verify passes only when the flash really holds the file.
/// </summary>
public sealed class PowerCutSoakTests(ITestOutputHelper output)
{
    private const int Size = 256 << 10;
    private const int EraseSize = 4096;
    private static readonly NorGeometry Geometry = new("campaign", 0xEF, 0x4000, Size);
    private static readonly MtdOpKind[] Kinds = [MtdOpKind.Read, MtdOpKind.Write, MtdOpKind.Erase, MtdOpKind.Copy];

    [Fact]
    public void A_thousand_seeded_cuts_across_reads_writes_erases_and_copies_leave_only_states_the_chip_could_be_in() =>
        Campaign(1000);

    [LongRunFact]
    public void Ten_thousand_seeded_cuts_across_reads_writes_erases_and_copies() => Campaign(10_000);

    private void Campaign(int cuts)
    {
        var wall = Stopwatch.StartNew();
        var interrupted = 0;
        var completed = 0;
        var caught = 0;
        var perKind = Kinds.ToDictionary(k => k, _ => 0);
        using var program = new DryRun(TzWriteSemantics.Program);
        using var eraseProgram = new DryRun(TzWriteSemantics.EraseProgram);
        for (var seed = 0; seed < cuts; seed++)
        {
            var cut = OneCut(seed, program, eraseProgram);
            perKind[cut.Kind]++;
            if (cut.Interrupted) interrupted++;
            if (cut.Completed) completed++;
            if (cut.VerifyCaught) caught++;
        }

        output.WriteLine($"{cuts} seeded power cuts ({string.Join(", ", perKind.Select(p => $"{p.Key} {p.Value}"))}): {interrupted} hit a program or erase in flight, " +
            $"{completed} fell after the request completed, {caught} interrupted copies caught by verify; 0 failures; {wall.Elapsed.TotalSeconds:0.0} s");
        Assert.True(interrupted > cuts / 4, $"only {interrupted} of {cuts} cuts hit an operation in flight");
        Assert.True(caught > 0);
    }

    private static CutOutcome OneCut(int seed, DryRun program, DryRun eraseProgram)
    {
        var random = new Random(seed);
        var geometry = Geometry;
        var initial = new byte[Size];
        random.NextBytes(initial);
        var options = new StorageBoardOptions
        {
            AllowWrite = true,
            WriteSemantics = random.Next(2) == 0 ? TzWriteSemantics.Program : TzWriteSemantics.EraseProgram,
            Seed = seed,
        };
        var op = MtdOp.Random(random, Kinds, 0, Size, EraseSize, 24 << 10);
        var duration = (options.WriteSemantics == TzWriteSemantics.Program ? program : eraseProgram).Duration(initial, op);

        var storage = new MemoryNorStorage((byte[])initial.Clone());
        var journal = new List<NorOperation>();
        byte[]? read = null;
        bool powered;
        NorOperation? inFlight;
        using (var board = new StorageBoard(new StorageFlash(geometry, storage), options))
        {
            var before = BoardResources.Of(board);
            board.Chip.OperationStarted += journal.Add;
            board.Chip.SchedulePowerCut(board.Clock.Now + duration * random.NextDouble() * 1.05);
            try
            {
                read = Run(new FlashTool(board, board.Mtd.Devices[0]), op);
            }
            catch (MtdRequestException) when (!board.Chip.IsPowered)
            {
            }

            powered = board.Chip.IsPowered;
            inFlight = board.Chip.InterruptedOperation;
            var diff = before.Diff(BoardResources.Of(board));
            Assert.True(diff.Count == 0, $"seed {seed} {op}: the cut left resources behind: {string.Join("; ", diff)}");
        }

        var actual = storage.Contents;
        JournalCheck.AssertOnlyUnitInFlightDiffers(seed, initial, actual, journal, inFlight, geometry.PageSize);
        var model = new NorReferenceModel(initial, op, options.WriteSemantics, EraseSize);
        var impossible = model.FirstImpossibleByte(actual, inFlight, geometry.PageSize);
        Assert.True(impossible is null, $"seed {seed} {op} ({options.WriteSemantics}): {impossible}");
        if (powered)
            Assert.True(actual.SequenceEqual(model.Final()), $"seed {seed} {op}: power stayed on but the flash is not what the request makes it");
        if (read is not null)
            Assert.True(read.AsSpan().SequenceEqual(initial.AsSpan((int)op.Offset, (int)op.Length)), $"seed {seed} {op}: the read returned other bytes than the flash held");

        var caught = op.Kind == MtdOpKind.Copy && AfterPowerReturns(seed, geometry, storage, options, op);
        return new CutOutcome(op.Kind, journal.Exists(o => o.Outcome == NorOutcome.Interrupted), powered, caught);
    }

    private static byte[]? Run(FlashTool tool, MtdOp op)
    {
        switch (op.Kind)
        {
            case MtdOpKind.Read:
                using (var output = new MemoryStream())
                {
                    tool.Read(op.Offset, op.Length, output);
                    return output.ToArray();
                }

            case MtdOpKind.Write:
                using (var input = new MemoryStream(op.Data!))
                    tool.Write(op.Offset, input, op.Length);
                return null;
            case MtdOpKind.Erase:
                tool.Erase(op.Offset, op.Length);
                return null;
            default:
                tool.Copy(op.Data, op.Offset);
                return null;
        }
    }

    /// <summary>A new boot over the array a copy was cut in: it reads back as it is, and verify matches only when the file is there.</summary>
    private static bool AfterPowerReturns(int seed, NorGeometry geometry, MemoryNorStorage storage, StorageBoardOptions options, MtdOp op)
    {
        using var after = new StorageBoard(new StorageFlash(geometry, storage), options with { AllowWrite = false });
        var tool = new FlashTool(after, after.Mtd.Devices[0]);
        using var whole = new MemoryStream();
        tool.Read(0, Size, whole);
        Assert.True(whole.ToArray().AsSpan().SequenceEqual(storage.Contents), $"seed {seed}: after power returned the device read back other bytes than the array holds");
        var mismatch = tool.Verify(op.Data, op.Offset);
        var holdsFile = storage.Contents.Slice((int)op.Offset, op.Data!.Length).SequenceEqual(op.Data);
        Assert.True(holdsFile == (mismatch is null), $"seed {seed}: verify said {(mismatch is null ? "match" : "mismatch")} but the flash {(holdsFile ? "holds" : "does not hold")} the file");
        return mismatch is not null;
    }

    /// <summary>A board that runs requests without a cut to learn how long they take (reused: only the array is reset).</summary>
    private sealed class DryRun : IDisposable
    {
        private readonly byte[] _array = new byte[Size];
        private readonly StorageBoard _board;

        public DryRun(TzWriteSemantics semantics) =>
            _board = new StorageBoard(new StorageFlash(Geometry, new MemoryNorStorage(_array)), new StorageBoardOptions { AllowWrite = true, WriteSemantics = semantics });

        public TimeSpan Duration(byte[] initial, MtdOp op)
        {
            initial.CopyTo(_array, 0);
            var start = _board.Clock.Now;
            Run(new FlashTool(_board, _board.Mtd.Devices[0]), op);
            return _board.Clock.Now - start;
        }

        public void Dispose() => _board.Dispose();
    }

    private readonly record struct CutOutcome(MtdOpKind Kind, bool Interrupted, bool Completed, bool VerifyCaught);
}
