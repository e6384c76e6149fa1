using System.Buffers.Binary;
using Qtz.Firmware.ResourceTables;
using Qtz.Soc;
using Xunit;
using Qtz.Secure.Pas;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using static Qtz.Secure.Tests.Pas.PasBench;

namespace Qtz.Secure.Tests.Pas;

public sealed class PasResourceTableTests
{
    private const ulong InputAt = 0x8300_0000;
    private const ulong OutputAt = 0x8301_0000;
    private const ulong ExtAt = 0x8302_0000;
    private const ulong SixteenKiB = 16 * 1024;

    /// <summary>qcom_scm_pas_get_rsc_table's SMC: arginfo 0x845, a3/a4 (output buffer and size) in the ext-args buffer at x5.</summary>
    private static SmcResult GetRscTable(PasBench bench, ulong outputSize, uint pasId = AdspPasId)
    {
        bench.Write(InputAt, new byte[ResourceTable.HeaderSize]); // the empty table Linux sends
        var ext = new byte[7 * 8];
        BinaryPrimitives.WriteUInt64LittleEndian(ext, OutputAt);
        BinaryPrimitives.WriteUInt64LittleEndian(ext.AsSpan(8), outputSize);
        bench.Write(ExtAt, ext);
        return bench.Pil(PasService.GetResourceTableCommand, new ArgInfo(0x845), pasId, InputAt, (ulong)ResourceTable.HeaderSize, ExtAt);
    }

    private static ResourceTable ReadOutput(PasBench bench, ulong size)
    {
        var bytes = new byte[size];
        Assert.Equal(BusStatus.Ok, bench.Bus.Read(bench.Caller, new PhysAddr(OutputAt), bytes));
        return ResourceTable.Parse(bytes);
    }

    [Fact]
    public void The_first_16_KiB_buffer_receives_a_table_with_the_DSPs_device_memory()
    {
        var bench = new PasBench();
        var r = GetRscTable(bench, SixteenKiB);
        Assert.Equal(0, r.Status);
        var table = ReadOutput(bench, r.X3);
        var devmem = Assert.Single(table.DevMem);
        Assert.Equal(new DevMemResource(0x8F00_0000, 0x8F00_0000, 0x2000, 1 | 2 | 8, 0, "lpass-lpm"), devmem);
    }

    [Fact]
    public void Too_small_a_buffer_answers_buffer_not_sufficient_with_the_size_and_the_retry_succeeds()
    {
        var many = Enumerable.Range(0, 400).Select(i => new PasDeviceMemory(new Iova(0x8F00_0000 + (ulong)i * 0x1000), new PhysAddr(0x8F00_0000 + (ulong)i * 0x1000), 0x1000, AccessPermissions.Read, $"r{i}")).ToArray();
        var bench = new PasBench(devmem: many);
        var first = GetRscTable(bench, SixteenKiB);
        Assert.NotEqual(0, first.Status);
        Assert.Equal(PasErrors.BufferNotSufficient, first.X2);
        Assert.True(first.X3 > SixteenKiB);
        var retry = GetRscTable(bench, first.X3);
        Assert.Equal(0, retry.Status);
        Assert.Equal(first.X3, retry.X3);
        Assert.Equal(400, ReadOutput(bench, retry.X3).DevMem.Count());
    }

    [Fact]
    public void GET_RSCTABLE_for_an_unknown_PAS_id_is_an_invalid_argument()
    {
        var bench = new PasBench();
        Assert.Equal(ScmStatus.InvalidArgument, GetRscTable(bench, SixteenKiB, pasId: 55).Status);
    }

    [Fact]
    public void At_EL2_the_table_buffers_must_be_bridged()
    {
        var bench = new PasBench(callerEl: 2, enableBridges: true);
        Assert.Equal(ScmStatus.InvalidAddress, GetRscTable(bench, SixteenKiB).Status);
        Assert.Equal(0, bench.CreateBridge(InputAt, 0x100000).Status);
        Assert.Equal(0, GetRscTable(bench, SixteenKiB).Status);
    }
}
