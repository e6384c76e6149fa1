using Qtz.Firmware.ResourceTables;
using Qtz.Platform.Boards;
using Qtz.Fuzzing;
using Qtz.Fuzzing.Invariants;
using Qtz.Soc;
using Xunit;
using Qtz.Secure.Hypervisor;
using Qtz.Soc.Dsp;
using Qtz.Soc.Smc;
using Qtz.Soc.SystemMmu;

namespace Qtz.Fuzzing.Tests;

/// <summary>Failures the fuzz targets found, kept as regression tests named for them.</summary>
public class FuzzRegressionTests
{
    /// <summary>
    /// rsctable, seed 1, iteration 110: a carveout whose name fills all 32 bytes (no NUL) is written
    /// back cut to 31 characters, because the writer always keeps the terminator. The target compares
    /// after that normalisation; the bytes stay a fixed point of the writer.
    /// </summary>
    [Fact]
    public void Rsctable_a_32_byte_name_without_terminator_comes_back_cut_to_31()
    {
        var table = new byte[ResourceTable.HeaderSize + 4 + 4 + CarveoutResource.Size];
        table[0] = 1;
        table[4] = 1;
        table[ResourceTable.HeaderSize] = ResourceTable.HeaderSize + 4;
        table.AsSpan(table.Length - 32).Fill((byte)'n');
        var parsed = ResourceTable.Parse(table);
        Assert.Equal(32, parsed.Entries[0].Carveout!.Value.Name.Length);
        Assert.Equal(31, ResourceTable.Parse(parsed.ToBytes()).Entries[0].Carveout!.Value.Name.Length);

        var target = FuzzTargetRegistry.CreateDefault().Create("rsctable", FuzzTargetContext.Default);
        Assert.Null(FuzzEngine.Replay(target, table));
    }

    /// <summary>
    /// elf, seed 1: truncated images look split (a segment past the end of the file), and reading their
    /// segments asked for image.bNN files an in-memory image does not have. A single image that is not an
    /// .mdt layout and has no .bNN beside it is now refused as truncated, with the offset (exit 2), which
    /// the target accepts as a typed rejection.
    /// </summary>
    [Fact]
    public void Elf_a_truncated_image_that_looks_split_is_a_typed_rejection()
    {
        // the shrunk reproducer: an ELF header and program headers whose hash segment lies past the end
        var input = Convert.FromHexString(
            "7f454c460101000000000000000000000000000000000000000000003400000000000000000000000000200004000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007000000000000000000020000000001000000000000000000000000000000000000000006000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
        var error = Assert.Throws<Qtz.Firmware.FirmwareFormatException>(() =>
        {
            using var image = Qtz.Firmware.Images.FirmwareImage.FromMemory(input);
            _ = Qtz.Firmware.Verification.FirmwareVerifier.Verify(image);
        });
        Assert.Contains("truncated at 0x", error.Message, StringComparison.Ordinal);
        var target = FuzzTargetRegistry.CreateDefault().Create("elf", FuzzTargetContext.Default);
        Assert.Null(FuzzEngine.Replay(target, input));
    }

    /// <summary>
    /// smc, seed 1, iteration 1090 (invariant dsp-smmu-mappings): under QHEE, an AUTH_AND_RESET from EL1
    /// for a DSP that already runs was refused by TrustZone (WRONG_STATE), but QHEE had torn the DSP's
    /// stream down and reprogrammed it before forwarding and released it on the refusal: the running DSP's
    /// stream was left unmatched, so the SMMU bypassed it (the DSP could reach all memory). QHEE now
    /// forwards such a call untouched.
    /// </summary>
    [Fact]
    public void Smc_a_refused_auth_and_reset_leaves_the_running_dsp_stream_translated()
    {
        var (board, cdsp1) = ReplayedCleanThenBooted("006571000000000000000000000000000000001E00000000000000000000000000000000000000000000000000000000000000");
        var mapped = board.Qhee!.MappingsOf(cdsp1.PasId).Count;
        var authAndReset = ScmCatalog.Find("PIL.PAS_AUTH_AND_RESET")!.FunctionId().Value;
        var result = board.Conduit.Smc(new SmcCall(board.KernelCpu, authAndReset, ArgInfo.Values(1).Value, cdsp1.PasId, 0, 0, 0));
        Assert.Equal((0UL, 1UL), (result.X0, result.X1)); // x1 = WRONG_STATE
        Assert.Equal(mapped, board.Qhee.MappingsOf(cdsp1.PasId).Count);
        Assert.Equal(SmmuStreamRouting.Translate, board.Smmu.MappingsOf(cdsp1.Hardware.StreamId).Routing);
        Assert.Empty(DspMappingInvariant.Check(board));
    }

    /// <summary>
    /// smc, seed 1, iteration 3037 (invariant dsp-smmu-mappings): under QHEE, a SHUTDOWN from EL1 with a
    /// malformed arginfo (x1 = 0xFF: 15 arguments) was refused by TrustZone (EINVAL_ARG), so the DSP kept
    /// running, but QHEE tore its stream down anyway: the running DSP's stream was left bypassed. QHEE
    /// now tears a stream down only after a SHUTDOWN TrustZone carried out.
    /// </summary>
    [Fact]
    public void Smc_a_refused_shutdown_leaves_the_running_dsp_stream_translated()
    {
        var (board, cdsp1) = ReplayedCleanThenBooted("00090D0000000000000000FF000000000000001E00000000000000000000000000000000000000000000000000000000000000");
        var shutdown = ScmCatalog.Find("PIL.PAS_SHUTDOWN")!.FunctionId().Value;
        var result = board.Conduit.Smc(new SmcCall(board.KernelCpu, shutdown, 0xFF, cdsp1.PasId, 0, 0, 0));
        Assert.Equal(ScmStatus.InvalidArgument, result.Status);
        Assert.Equal(DspState.Running, cdsp1.Core.State);
        Assert.Equal(SmmuStreamRouting.Translate, board.Smmu.MappingsOf(cdsp1.Hardware.StreamId).Routing);
        Assert.Empty(DspMappingInvariant.Check(board));

        var accepted = board.Conduit.Smc(new SmcCall(board.KernelCpu, shutdown, ArgInfo.Values(1).Value, cdsp1.PasId, 0, 0, 0));
        Assert.Equal((0UL, 0UL), (accepted.X0, accepted.X1));
        Assert.Empty(board.Qhee!.MappingsOf(cdsp1.PasId));
    }

    /// <summary>The shrunk smc reproducer passes; then a freshly booted QHEE board and its cdsp1 for the direct check.</summary>
    private static (Board Board, BoardRemoteproc Cdsp1) ReplayedCleanThenBooted(string reproducerHex)
    {
        var target = FuzzTargetRegistry.CreateDefault().Create("smc", FuzzTargetContext.Default);
        try
        {
            Assert.Null(FuzzEngine.Replay(target, Convert.FromHexString(reproducerHex)));
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }

        var board = Board.Build();
        Assert.True(board.Boot().AllRunning);
        return (board, board.Remoteproc("cdsp1"));
    }
}
