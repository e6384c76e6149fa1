using Qtz.Kernel;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc;
using Qtz.Soc.Nor;
using Xunit;
using Qtz.Kernel.Mtd.ScmStorage;
using Qtz.Kernel.ScmClient;
using Qtz.Linux.Setup;
using Qtz.Soc.Nor.StorageWire;
using Qtz.Soc.Smc;

namespace Qtz.Acceptance.Tests.Mtd;

/// <summary>
/// The posted driver's unaligned write (patch 2/2 §5.3 rule 5): SCM READ of the block, patch, SCM
/// WRITE of the block, with its mutex held per SCM operation only. Under `program` semantics the
/// block it writes back is a stale copy: anything that happened to the block between the READ and the
/// WRITE — here another process's erase, which the per-op mutex lets in — is undone, because the
/// stale 0-bits are programmed again. No order of the two requests gives that result. Our driver
/// programs 0xFF around the new bytes (no read) and holds its lock for the whole request, so every
/// outcome is one of the two serial orders.
/// </summary>
public sealed class SeedReadModifyWriteTests
{
    private const ulong Block = 4096;

    [Fact]
    public void The_seeds_read_modify_write_resurrects_erased_data_under_program_semantics_and_ours_does_not()
    {
        var seed = RunRace(useSeedDriver: true);
        var ours = RunRace(useSeedDriver: false);

        var eraseThenWrite = Expected(writeLast: true);
        var writeThenErase = Expected(writeLast: false);
        Assert.False(seed.SequenceEqual(eraseThenWrite) || seed.SequenceEqual(writeThenErase));
        Assert.Equal(0x00, seed[0]); // the erased block's old zeros are back
        Assert.True(ours.SequenceEqual(eraseThenWrite) || ours.SequenceEqual(writeThenErase));
    }

    private static byte[] Expected(bool writeLast)
    {
        var block = new byte[Block];
        block.AsSpan().Fill(0xFF);
        if (writeLast) block.AsSpan(10, 4).Fill(0x5A);
        return block;
    }

    private static byte[] RunRace(bool useSeedDriver)
    {
        using var board = StorageBoard.InMemory(NorPartTable.ForSize(1 << 20), new StorageBoardOptions { AllowWrite = true, WriteSemantics = TzWriteSemantics.Program });
        var ours = board.Mtd.Devices[0];
        Assert.Equal(0, MtdCore.Write(ours, 0, new byte[Block], out _)); // block 0 holds zeros (old data)
        var victim = useSeedDriver ? SeedDriver(board) : ours;

        // "Another process" erases block 0 right after the writer's first storage SMC completes.
        var raced = false;
        board.Conduit.Traced += e =>
        {
            if (raced || e.Call.FunctionId.Service != StorageCall.Service) return;
            raced = true;
            Assert.Equal(0, MtdCore.Erase(ours, new EraseInfo(0, Block)));
        };
        Assert.Equal(0, MtdCore.Write(victim, 10, [0x5A, 0x5A, 0x5A, 0x5A], out _));
        Assert.True(raced);
        var block = new byte[Block];
        Assert.Equal(0, MtdCore.Read(ours, 0, block, out _));
        return block;
    }

    // The seed's write path, as posted: per-SCM-op mutex, RMW through the bounce buffer.
    private static MtdInfo SeedDriver(StorageBoard board)
    {
        var payload = board.Scm.Pool!.Allocate(StorageCall.PayloadHeaderSize + Block)!;
        var client = new ScmStorageClient(board.Scm, payload);
        var gate = new Lock();
        var staged = new byte[Block];
        int Locked(Func<int> op)
        {
            lock (gate) return op();
        }

        return new MtdInfo
        {
            Name = "seed",
            Flags = MtdFlags.Writeable,
            Size = 1 << 20,
            EraseSize = (uint)Block,
            WriteSize = (uint)Block,
            Operations = new MtdOperations
            {
                Write = (ulong to, ReadOnlySpan<byte> data, ref ulong retlen) =>
                {
                    var start = to / Block * Block;
                    var ret = Locked(() => client.Send(StorageCommandId.Read, start / Block, Block, withData: true));
                    if (ret == 0) ret = client.ReadData(0, staged);
                    if (ret != 0) return ret;
                    data.CopyTo(staged.AsSpan((int)(to - start)));
                    ret = client.WriteData(0, staged);
                    if (ret == 0) ret = Locked(() => client.Send(StorageCommandId.Write, start / Block, Block, withData: true));
                    if (ret == 0) retlen += (ulong)data.Length;
                    return ret;
                },
                Erase = instr => Locked(() => client.Send(StorageCommandId.Erase, instr.Addr / Block, instr.Len, withData: false)),
            },
        };
    }
}
