using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Smc;

namespace Qtz.Kernel.ScmClient;

/// <summary>
/// The PAS (SVC_PIL) calls of qcom_scm.c exactly as spec/scm-pas.md §2 describes them: every call
/// returns <c>ret ?: result[0]</c> (0 or a negative errno; a positive service error when TZ answers
/// x0 = 0 with a non-zero result[0]), metadata goes through one of the two buffer paths of §2.2, and
/// the carveout bridge of §2.3 never outlives the AUTH_AND_RESET it wraps.
/// </summary>
public sealed partial class Scm
{
    /// <summary>RSCTABLE_BUFFER_NOT_SUFFICIENT in result[1].</summary>
    public const ulong RscTableBufferNotSufficient = 20;

    /// <summary>SZ_16K: the first output buffer GET_RSCTABLE is offered.</summary>
    public const ulong RscTableInitialSize = 16 * 1024;

    /// <summary>SZ_1G: a bigger table is refused with -E2BIG.</summary>
    public const ulong RscTableMaxSize = 1UL << 30;

    /// <summary>An empty struct resource_table (ver 0, num 0, reserved[2] 0): TZ cannot take a NULL buffer.</summary>
    public const int EmptyResourceTableSize = 16;

    private const byte CmdInitImage = 0x01;
    private const byte CmdMemSetup = 0x02;
    private const byte CmdAuthAndReset = 0x05;
    private const byte CmdShutdown = 0x06;
    private const byte CmdIsSupported = 0x07;
    private const byte CmdGetRscTable = 0x21;

    private int _liveMetadata;
    private int _liveCarveoutBridges;
    private long _bridgesCreated;
    private long _bridgesDeleted;

    public PasClientCounters PasCounters => new(Volatile.Read(ref _liveMetadata), Volatile.Read(ref _liveCarveoutBridges),
        Interlocked.Read(ref _bridgesCreated), Interlocked.Read(ref _bridgesDeleted));

    /// <summary>devm_qcom_scm_pas_context_alloc.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "mirrors the qcom_scm API: a context belongs to this SCM")]
    public PasContext PasContextAlloc(uint pasId, PhysAddr memPhys, ulong memSize) => new(pasId, memPhys, memSize);

    /// <summary>
    /// qcom_scm_pas_init_image: copies <paramref name="metadata"/> into a buffer TZ can read (dma or
    /// tzmem per <paramref name="context"/>), issues INIT_IMAGE, and keeps the buffer in the context on
    /// success (TZ holds it locked) or frees it at once on failure or without a context.
    /// </summary>
    public int PasInitImage(uint pasId, ReadOnlySpan<byte> metadata, PasContext? context)
    {
        if (metadata.IsEmpty) return -ScmErrno.EINVAL;
        var useTzMem = context?.UseTzMem == true;
        PhysAddr phys;
        TzMemBuffer? tzBuffer = null;
        PhysRange dmaBlock = default;
        if (useTzMem)
        {
            if (Pool is null) return -ScmErrno.EINVAL;
            tzBuffer = Pool.Allocate((ulong)metadata.Length);
            if (tzBuffer is null) return -ScmErrno.ENOMEM;
            tzBuffer.Write(0, metadata);
            phys = tzBuffer.Address;
        }
        else
        {
            if (!Dma.TryAllocate((ulong)metadata.Length, out dmaBlock)) return -ScmErrno.ENOMEM;
            Bus.Write(Cpu, dmaBlock.Base, metadata);
            phys = dmaBlock.Base;
        }

        Interlocked.Increment(ref _liveMetadata);
        var ret = PasCall(CmdInitImage, pasId, phys.Value);
        if (ret < 0 || context is null)
        {
            if (tzBuffer is not null) tzBuffer.Dispose();
            else Dma.Free(dmaBlock);
            Interlocked.Decrement(ref _liveMetadata);
            return ret;
        }

        if (tzBuffer is not null) context.TzMetadata = tzBuffer;
        else context.DmaMetadata = dmaBlock;
        return ret;
    }

    /// <summary>qcom_scm_pas_metadata_release: frees the kept buffer by the path it came from; no-op when none.</summary>
    public void PasMetadataRelease(PasContext? context)
    {
        if (context is null || !context.HasMetadata) return;
        if (context.TzMetadata is { } tz) tz.Dispose();
        else if (context.DmaMetadata is { } block) Dma.Free(block);
        context.TzMetadata = null;
        context.DmaMetadata = null;
        Interlocked.Decrement(ref _liveMetadata);
    }

    /// <summary>qcom_scm_pas_mem_setup.</summary>
    public int PasMemSetup(uint pasId, PhysAddr address, ulong size) => PasCall(CmdMemSetup, pasId, address.Value, size);

    /// <summary>qcom_scm_pas_auth_and_reset.</summary>
    public int PasAuthAndReset(uint pasId) => PasCall(CmdAuthAndReset, pasId);

    /// <summary>
    /// qcom_scm_pas_prepare_and_auth_reset: without tzmem a plain AUTH_AND_RESET (the hypervisor traps it);
    /// with tzmem, bridge the whole carveout, AUTH_AND_RESET, and always delete the bridge.
    /// </summary>
    public int PasPrepareAndAuthReset(PasContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.UseTzMem) return PasAuthAndReset(context.PasId);
        ulong handle = 0;
        var ret = TzMem.ShmBridgeCreate(context.MemPhys, context.MemSize, ref handle);
        if (ret != 0) return ret;
        var bridged = TzMem.UsingShmBridge;
        if (bridged)
        {
            Interlocked.Increment(ref _bridgesCreated);
            Interlocked.Increment(ref _liveCarveoutBridges);
        }

        ret = PasAuthAndReset(context.PasId);
        TzMem.ShmBridgeDelete(handle);
        if (bridged)
        {
            Interlocked.Increment(ref _bridgesDeleted);
            Interlocked.Decrement(ref _liveCarveoutBridges);
        }

        return ret;
    }

    /// <summary>qcom_scm_pas_shutdown.</summary>
    public int PasShutdown(uint pasId) => PasCall(CmdShutdown, pasId);

    /// <summary>qcom_scm_pas_supported: IS_CALL_AVAIL(PIL, IS_SUPPORTED) first, then true iff ret == 0 and result[0] != 0.</summary>
    public bool PasSupported(uint pasId)
    {
        if (!IsCallAvailable(ScmCatalog.Pil, CmdIsSupported)) return false;
        var ret = Call(new ScmDesc(ScmCatalog.Pil, CmdIsSupported, ArgInfo.Values(1), pasId), out var res);
        return ret == 0 && res.Result0 != 0;
    }

    /// <summary>
    /// qcom_scm_pas_get_rsc_table (v10, spec §2.6): the caller's table (or an empty 16-byte one) in a
    /// tzmem buffer, a 16 KiB tzmem output buffer, one retry with TZ's size on buffer-not-sufficient
    /// (-EOVERFLOW), -E2BIG above 1 GiB. On success <paramref name="table"/> is a copy the caller owns.
    /// </summary>
    public int PasGetRscTable(PasContext context, ReadOnlySpan<byte> inputTable, out byte[]? table)
    {
        ArgumentNullException.ThrowIfNull(context);
        table = null;
        if (Pool is null) return -ScmErrno.EINVAL;
        Span<byte> empty = stackalloc byte[EmptyResourceTableSize];
        empty.Clear();
        var input = inputTable.IsEmpty ? empty : inputTable;
        using var inBuffer = Pool.Allocate((ulong)input.Length);
        if (inBuffer is null) return -ScmErrno.ENOMEM;
        inBuffer.Write(0, input);

        var size = RscTableInitialSize;
        var ret = GetRscTableOnce(context.PasId, inBuffer, (ulong)input.Length, ref size, out var bytes);
        if (ret == -(int)Errno.EOVERFLOW)
            ret = GetRscTableOnce(context.PasId, inBuffer, (ulong)input.Length, ref size, out bytes);
        if (ret != 0) return ret;
        table = bytes;
        return 0;
    }

    /// <summary>One GET_RSCTABLE SMC with an output buffer of <paramref name="size"/>; TZ's real size comes back in it.</summary>
    private int GetRscTableOnce(uint pasId, TzMemBuffer input, ulong inputSize, ref ulong size, out byte[]? table)
    {
        table = null;
        if (size == 0 || size > RscTableMaxSize) return -(int)Errno.E2BIG;
        using var output = Pool!.Allocate(size);
        if (output is null) return -ScmErrno.ENOMEM;
        var desc = new ScmDesc(ScmCatalog.Pil, CmdGetRscTable, ArgInfoOf(CmdGetRscTable),
            pasId, input.Address.Value, inputSize, output.Address.Value, size);
        var ret = Call(desc, out var res);
        if (ret != 0 && res.Result1 == RscTableBufferNotSufficient)
        {
            size = res.Result2;
            return -(int)Errno.EOVERFLOW;
        }

        if (ret == 0 && res.Result0 != 0) return (int)res.Result0;
        if (ret != 0) return ret;
        var returned = res.Result2;
        if (returned > RscTableMaxSize) return -(int)Errno.E2BIG;
        if (returned > output.Size) return -(int)Errno.EOVERFLOW;
        table = new byte[returned];
        output.Read(0, table);
        size = returned;
        return 0;
    }

    /// <summary>The documented arginfo of a PIL command (0x82 INIT_IMAGE, 0x845 GET_RSCTABLE, …).</summary>
    private static ArgInfo ArgInfoOf(byte command) =>
        ScmCatalog.Find(ScmCatalog.Pil, command)?.DocumentedArgInfo ?? throw new InvalidOperationException($"PIL command 0x{command:x} is not in the SCM catalog");

    private int PasCall(byte command, params ReadOnlySpan<ulong> args)
    {
        var ret = Call(new ScmDesc(ScmCatalog.Pil, command, ArgInfoOf(command), args), out var res);
        return ret != 0 ? ret : (int)res.Result0;
    }
}
