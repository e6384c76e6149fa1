using Qtz.Platform.Tests.Soak;
using Qtz.Secure.Storage;
using Qtz.Soc.Nor;
using Xunit;

namespace Qtz.Platform.Tests.Soak;

/// <summary>The power-cut soak's reference model must itself catch what it is there to catch.</summary>
public sealed class NorReferenceModelTests
{
    private const int Size = 16 << 10;
    private const int Page = 256;

    [Fact]
    public void A_change_outside_the_blocks_a_request_touches_is_reported()
    {
        var (initial, op) = Write(0x1000, 0x10);
        var actual = (byte[])initial.Clone();
        actual[0x3000] ^= 0x01;
        Assert.Contains("outside the blocks", Model(initial, op, TzWriteSemantics.Program).FirstImpossibleByte(actual, null, Page), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bit_that_rose_in_an_interrupted_program_is_reported()
    {
        var (initial, op) = Write(0x1000, 0x10);
        initial[0x1000] = 0x0F;
        var actual = (byte[])initial.Clone();
        actual[0x1000] = 0x1F;
        var inFlight = new NorOperation(NorOperationKind.Program, 0x1000, 0x10, default, TimeSpan.FromMilliseconds(1), NorOutcome.Interrupted);
        Assert.NotNull(Model(initial, op, TzWriteSemantics.Program).FirstImpossibleByte(actual, inFlight, Page));
    }

    [Fact]
    public void A_partial_program_of_the_page_in_flight_is_a_possible_state()
    {
        var (initial, op) = Write(0x1000, 0x10);
        initial[0x1001] = 0xFF;
        op.Data![1] = 0x00;
        var actual = (byte[])initial.Clone();
        actual[0x1001] = 0xF0;
        var inFlight = new NorOperation(NorOperationKind.Program, 0x1000, 0x10, default, TimeSpan.FromMilliseconds(1), NorOutcome.Interrupted);
        Assert.Null(Model(initial, op, TzWriteSemantics.Program).FirstImpossibleByte(actual, inFlight, Page));
        Assert.NotNull(Model(initial, op, TzWriteSemantics.Program).FirstImpossibleByte(actual, null, Page));
    }

    [Fact]
    public void Under_erase_program_a_block_may_be_left_erased_but_not_half_old()
    {
        var (initial, op) = Write(0x1010, 0x10);
        var erased = (byte[])initial.Clone();
        erased.AsSpan(0x1000, 0x1000).Fill(0xFF);
        Assert.Null(Model(initial, op, TzWriteSemantics.EraseProgram).FirstImpossibleByte(erased, null, Page));
        erased[0x1800] = 0x00;
        Assert.NotNull(Model(initial, op, TzWriteSemantics.EraseProgram).FirstImpossibleByte(erased, null, Page));
    }

    private static NorReferenceModel Model(byte[] initial, MtdOp op, TzWriteSemantics semantics) => new(initial, op, semantics, 4096);

    private static (byte[] Initial, MtdOp Op) Write(ulong offset, int length)
    {
        var random = new Random(1);
        var initial = new byte[Size];
        random.NextBytes(initial);
        var data = new byte[length];
        random.NextBytes(data);
        return (initial, new MtdOp(MtdOpKind.Write, offset, (ulong)length, data));
    }
}
