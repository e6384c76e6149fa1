using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc;
using Qtz.Soc.Nor;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.Mtd;

/// <summary>
/// Seeded power cuts during a flashcp-style copy (erase, write, verify) through the whole stack.
/// After each cut: every byte outside the unit in flight is exactly what the completed operations
/// made it; inside it the state is one the physics allows (a program only clears bits it targeted; an
/// erase may leave anything); and the copy's verify, run after power returns, passes only when the
/// flash really holds the file.
/// </summary>
public sealed class PowerCutCampaignTests
{
    private const int Size = 256 << 10;

    [Fact]
    public void A_thousand_seeded_cuts_leave_only_physically_possible_states_and_verify_catches_every_interrupted_copy() =>
        Campaign(1000);

    [LongRunFact]
    public void Fifty_thousand_seeded_cuts() => Campaign(50_000);

    private static void Campaign(int cuts)
    {
        var caught = 0;
        var interrupted = 0;
        for (var seed = 0; seed < cuts; seed++)
        {
            var (wasInterrupted, verifyCaught) = OneCut(seed);
            if (wasInterrupted) interrupted++;
            if (verifyCaught) caught++;
        }

        Assert.True(interrupted > cuts / 4, $"only {interrupted} of {cuts} cuts hit an operation in flight");
        Assert.True(caught > 0);
    }

    private static (bool Interrupted, bool VerifyCaught) OneCut(int seed)
    {
        var random = new Random(seed);
        var geometry = new NorGeometry("campaign", 0xEF, 0x4000, Size);
        var initial = new byte[Size];
        random.NextBytes(initial);
        var storage = new MemoryNorStorage((byte[])initial.Clone());
        var options = new StorageBoardOptions
        {
            AllowWrite = true,
            WriteSemantics = random.Next(2) == 0 ? TzWriteSemantics.Program : TzWriteSemantics.EraseProgram,
            Seed = seed,
        };
        var data = new byte[1 + random.Next(24 << 10)];
        random.NextBytes(data);
        var offset = (ulong)random.Next((Size - data.Length) / 4096) * 4096;

        var journal = new List<NorOperation>();
        using (var board = new StorageBoard(new StorageFlash(geometry, storage), options))
        {
            board.Chip.OperationStarted += journal.Add;
            var blocks = (data.Length + 4095) / 4096;
            var estimate = TimeSpan.FromMilliseconds(blocks * (options.WriteSemantics == TzWriteSemantics.EraseProgram ? 90 : 45) + data.Length / 256.0 * 0.45);
            board.Chip.SchedulePowerCut(board.Clock.Now + estimate * random.NextDouble() * 1.05);
            try
            {
                new FlashTool(board, board.Mtd.Devices[0]).Copy(data, offset);
            }
            catch (MtdRequestException) when (!board.Chip.IsPowered)
            {
            }

            CheckPhysicallyPossible(seed, initial, storage.Contents, journal, board.Chip.InterruptedOperation, geometry.PageSize);
        }

        using var after = new StorageBoard(new StorageFlash(geometry, storage), options with { AllowWrite = false });
        var mismatch = new FlashTool(after, after.Mtd.Devices[0]).Verify(data, offset);
        var holdsFile = storage.Contents.Slice((int)offset, data.Length).SequenceEqual(data);
        Assert.True(holdsFile == (mismatch is null), $"seed {seed}: verify said {(mismatch is null ? "match" : "mismatch")} but the flash {(holdsFile ? "holds" : "does not hold")} the file");
        return (journal.Exists(o => o.Outcome == NorOutcome.Interrupted), mismatch is not null);
    }

    private static void CheckPhysicallyPossible(int seed, byte[] initial, ReadOnlySpan<byte> actual, List<NorOperation> journal, NorOperation? inFlight, int pageSize)
    {
        var model = (byte[])initial.Clone();
        foreach (var op in journal)
        {
            if (op.Outcome == NorOutcome.Completed) op.ApplyTo(model, pageSize);
        }

        var (unitStart, unitLength) = inFlight switch
        {
            null => (0, 0),
            { Kind: NorOperationKind.Erase } e => ((int)e.Address, (int)e.Length),
            var p => ((int)p.Address & ~(pageSize - 1), pageSize),
        };
        for (var i = 0; i < model.Length; i++)
        {
            if (i >= unitStart && i < unitStart + unitLength) continue;
            if (actual[i] != model[i]) Assert.Fail($"seed {seed}: byte 0x{i:x} outside the unit in flight changed (0x{model[i]:x2} -> 0x{actual[i]:x2})");
        }

        if (inFlight is not { Kind: NorOperationKind.Program } program) return;
        var target = model.AsSpan(unitStart, pageSize).ToArray();
        var intended = new byte[pageSize];
        intended.AsSpan().Fill(0xFF);
        var data = program.Data.Span;
        for (var i = 0; i < data.Length; i++) intended[((int)program.Address - unitStart + i) % pageSize] &= data[i];
        for (var i = 0; i < pageSize; i++)
        {
            if (!NorBits.IsPartialProgram(target[i], intended[i], actual[unitStart + i]))
                Assert.Fail($"seed {seed}: byte 0x{unitStart + i:x} of the interrupted program went 0x{target[i]:x2} -> 0x{actual[unitStart + i]:x2} (data 0x{intended[i]:x2})");
        }
    }
}
