using System.Buffers.Binary;
using Qtz.Kernel;
using Qtz.Soc;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc.Smc;

namespace Qtz.Platform.Tests.Pas;

/// <summary>qcom_scm_pas_context as far as these tests need it (spec §2.4).</summary>
internal sealed class PasContext(uint pasId, PhysRange memory, bool useTzmem)
{
    public uint PasId { get; } = pasId;
    public PhysRange Memory { get; } = memory;
    public bool UseTzmem { get; } = useTzmem;
    public PhysRange? DmaBuffer { get; set; }
    public TzMemBuffer? TzmemBuffer { get; set; }
}

/// <summary>
/// A hand-written kernel-side PAS client: the qcom_scm_pas_* calls of spec §2 over the kernel's real SCM
/// transport (Qtz.Kernel's Scm), nothing from Qtz.Secure. Results follow <c>ret ?: result[0]</c>.
/// </summary>
internal sealed class KernelPasCaller(global::Qtz.Kernel.ScmClient.Scm scm, DmaCoherentMemory dma)
{
    public const uint ResourceTableBufferNotSufficient = 20;
    private const ulong SixteenKiB = 16 * 1024;

    private static int RetOrResult(int ret, ScmResponse res) => ret != 0 ? ret : (int)res.Result0;

    public int Supported(uint pasId)
    {
        var ret = scm.Call(new ScmDesc(ScmCatalog.Info, ScmCatalog.IsCallAvailable, ArgInfo.Values(1), (2UL << 24) | (2UL << 8) | 7), out var res);
        if (ret != 0 || res.Result0 != 1) return 0;
        ret = scm.Call(new ScmDesc(ScmCatalog.Pil, 0x07, ArgInfo.Values(1), pasId), out res);
        return ret == 0 && res.Result0 != 0 ? 1 : 0;
    }

    /// <summary>qcom_scm_pas_init_image: dma_alloc_coherent buffer (hypervisor present) or a tzmem buffer (EL2).</summary>
    public int InitImage(PasContext ctx, ReadOnlySpan<byte> metadata)
    {
        PhysAddr address;
        if (ctx.UseTzmem)
        {
            var buffer = scm.Pool!.Allocate((ulong)metadata.Length) ?? throw new InvalidOperationException("tzmem pool exhausted");
            buffer.Write(0, metadata);
            ctx.TzmemBuffer = buffer;
            address = buffer.Address;
        }
        else
        {
            if (!dma.TryAllocate((ulong)metadata.Length, out var block)) return -ScmErrno.ENOMEM;
            scm.Bus.Write(scm.Cpu, block.Base, metadata);
            ctx.DmaBuffer = block;
            address = block.Base;
        }

        var ret = RetOrResult(scm.Call(new ScmDesc(ScmCatalog.Pil, 0x01, new ArgInfo(0x82), ctx.PasId, address.Value), out var res), res);
        if (ret < 0) MetadataRelease(ctx);
        return ret;
    }

    public void MetadataRelease(PasContext ctx)
    {
        ctx.TzmemBuffer?.Dispose();
        ctx.TzmemBuffer = null;
        if (ctx.DmaBuffer is { } b) dma.Free(b);
        ctx.DmaBuffer = null;
    }

    public int MemSetup(uint pasId, PhysAddr address, ulong size) =>
        RetOrResult(scm.Call(new ScmDesc(ScmCatalog.Pil, 0x02, ArgInfo.Values(3), pasId, address.Value, size), out var res), res);

    public int AuthAndReset(uint pasId) => RetOrResult(scm.Call(new ScmDesc(ScmCatalog.Pil, 0x05, ArgInfo.Values(1), pasId), out var res), res);

    /// <summary>qcom_scm_pas_prepare_and_auth_reset: at EL2 an SHM bridge over the carveout around AUTH_AND_RESET.</summary>
    public int PrepareAndAuthReset(PasContext ctx)
    {
        if (!ctx.UseTzmem) return AuthAndReset(ctx.PasId);
        ulong handle = 0;
        var ret = scm.TzMem.ShmBridgeCreate(ctx.Memory.Base, ctx.Memory.Size, ref handle);
        if (ret != 0) return ret;
        ret = AuthAndReset(ctx.PasId);
        scm.TzMem.ShmBridgeDelete(handle);
        return ret;
    }

    public int Shutdown(uint pasId) => RetOrResult(scm.Call(new ScmDesc(ScmCatalog.Pil, 0x06, ArgInfo.Values(1), pasId), out var res), res);

    /// <summary>qcom_scm_pas_get_rsc_table (v10): empty input table, 16 KiB output, one retry with the size TZ asks for.</summary>
    public int GetResourceTable(PasContext ctx, out byte[] table, out int calls)
    {
        table = [];
        calls = 0;
        using var input = scm.Pool!.Allocate(16)!;
        input.Clear();
        var size = SixteenKiB;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var output = scm.Pool.Allocate(size)!;
            calls++;
            var ret = scm.Call(new ScmDesc(ScmCatalog.Pil, 0x21, new ArgInfo(0x845), ctx.PasId, input.Address.Value, 16, output.Address.Value, size), out var res);
            if (ret != 0 && res.Result1 == ResourceTableBufferNotSufficient && attempt == 0)
            {
                size = res.Result2;
                continue;
            }

            if (ret != 0) return ret;
            table = new byte[res.Result2];
            output.Read(0, table);
            return 0;
        }

        return -ScmErrno.EINVAL;
    }

    public static uint ReadU32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
}
