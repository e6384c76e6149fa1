using FsCheck;
using FsCheck.Fluent;
using Qtz.Kernel.Mtd;
using Qtz.Platform.Storage;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;
using Xunit;
using Qtz.Kernel.Mtd.ScmStorage;
using static Qtz.Kernel.Mtd.MtdErrno;

namespace Qtz.Acceptance.Tests.Mtd;

/// <summary>
/// The whole stack (MTD core → ScmStorageMtd → SCM → TZ storage service → NOR chip) against a
/// reference NOR: erase sets 0xFF, a write ANDs, a read returns the array. Random geometries, both TZ
/// WRITE semantics, random bounce sizes, random (also invalid) requests.
/// </summary>
public sealed class MtdModelTests
{
    [Fact]
    public void Random_read_write_erase_sequences_match_a_reference_NOR_under_both_WRITE_semantics()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<bool>(), (seed, eraseProgram) =>
        {
            var random = new Random(seed);
            var sector = 4096 << random.Next(2);
            var size = (ulong)(65536 << random.Next(3));
            var geometry = new NorGeometry("model", 0xEF, 0x4000, size, sectorSize: sector);
            using var board = StorageBoard.InMemory(geometry, new StorageBoardOptions
            {
                AllowWrite = true,
                WriteSemantics = eraseProgram ? TzWriteSemantics.EraseProgram : TzWriteSemantics.Program,
                MaxBounceBytes = (ulong)(sector * (1 + random.Next(3))),
                Seed = seed,
            });
            Assert.Equal(0, board.ProbeResult);
            var mtd = board.Mtd.Devices[0];
            var model = new byte[size];
            model.AsSpan().Fill(0xFF);
            for (var step = 0; step < 25; step++) Step(random, mtd, model, sector);
            var all = new byte[size];
            Assert.Equal(0, MtdCore.Read(mtd, 0, all, out _));
            Assert.True(all.AsSpan().SequenceEqual(model), $"seed {seed}: final contents differ from the model");
        }).QuickCheckThrowOnFailure();
    }

    private static void Step(Random random, MtdInfo mtd, byte[] model, int sector)
    {
        var size = (long)model.Length;
        var offset = random.Next(10) == 0 ? size - random.Next(3) + random.Next(6) - 2 : random.NextInt64(size);
        var length = random.Next(8) == 0 ? random.Next(3 * sector) : random.Next(600);
        var inBounds = offset >= 0 && offset + length <= size;
        switch (random.Next(3))
        {
            case 0:
                var data = new byte[length];
                random.NextBytes(data);
                var ret = MtdCore.Write(mtd, offset, data, out var written);
                Assert.Equal(inBounds ? 0 : -EINVAL, ret);
                if (!inBounds) break;
                Assert.Equal((ulong)length, written);
                NorBits.Program(model.AsSpan((int)offset, length), data);
                break;
            case 1:
                var buffer = new byte[length];
                ret = MtdCore.Read(mtd, offset, buffer, out var read);
                Assert.Equal(inBounds ? 0 : -EINVAL, ret);
                if (inBounds) Assert.True(buffer.AsSpan().SequenceEqual(model.AsSpan((int)offset, length)), $"read 0x{offset:x}+{length} differs");
                break;
            default:
                var aligned = random.Next(6) != 0;
                var addr = aligned ? offset / sector * sector : offset;
                var len = aligned ? (long)(1 + random.Next(3)) * sector : length;
                var expected = addr < 0 || addr >= size || len > size - addr ? -EINVAL
                    : len == 0 ? 0
                    : addr % sector != 0 || len % sector != 0 ? -EINVAL : 0;
                Assert.Equal(expected, MtdCore.Erase(mtd, new EraseInfo((ulong)Math.Max(0, addr), (ulong)len)));
                if (expected == 0 && len > 0) model.AsSpan((int)addr, (int)len).Fill(0xFF);
                break;
        }
    }
}
