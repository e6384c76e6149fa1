using Qtz.Kernel.Tee;
using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Pas;

/// <summary>
/// drivers/firmware/qcom/qcom_pas_tee.c (spec/socs.md §4.4): the PAS trusted application reached
/// through the TEE client interface. Probe opens a session with login REE_KERNEL to the TA with UUID
/// cff7d191-7ca0-4784-af13-48223b9a4fbe and registers ops "qcom-pas-tee". Every call is one invoke with
/// four parameters laid out as the command table says; it fails when the invoke returns &lt; 0 or the
/// TA's result is non-zero, with the invoke's errno if any, else -EINVAL (TA results are not decoded).
/// </summary>
public sealed class OpteePasOps : IPasOps
{
    public const string Name = "qcom-pas-tee";

    private static readonly byte[] EmptyTable = new byte[Scm.EmptyResourceTableSize];

    private readonly OpteeClient _tee;
    private readonly uint _session;

    private OpteePasOps(OpteeClient tee, uint session)
    {
        _tee = tee;
        _session = session;
    }

    public string DriverName => Name;

    /// <summary>The TEE client this backend invokes through (its leak counter is the board's check).</summary>
    public OpteeClient Tee => _tee;

    /// <summary>Every invoke's outcome, for traces and tests: function, parameters as sent, errno returned.</summary>
    public event Action<uint, IReadOnlyList<TeeParam>, int, TeeInvokeResult>? Invoked;

    /// <summary>qcom_pas_tee_probe: open the session and register. Returns the errno, and the ops when the session opened.</summary>
    public static int Probe(OpteeClient tee, QcomPas pas, out OpteePasOps? ops)
    {
        ArgumentNullException.ThrowIfNull(tee);
        ArgumentNullException.ThrowIfNull(pas);
        ops = null;
        var ret = tee.OpenSession(QcomPasTa.Uuid, TeeResult.LoginReeKernel, out var session, out var result);
        if (ret < 0) return ret;
        if (!result.Ok) return -(int)Errno.EINVAL;
        ops = new OpteePasOps(tee, session);
        pas.Register(ops);
        return 0;
    }

    /// <summary>qcom_pas_tee_remove: unregister, close the session.</summary>
    public void Remove(QcomPas pas)
    {
        ArgumentNullException.ThrowIfNull(pas);
        if (ReferenceEquals(pas.Backend, this)) pas.Unregister();
        _tee.CloseSession(_session);
    }

    public bool Supported(uint pasId) => Invoke(QcomPasTa.IsSupported, TeeParam.ValueIn(pasId)) == 0;

    /// <summary>INIT_IMAGE: the metadata copied into a fresh shm of exactly its size; kept in the context until release, else freed at once.</summary>
    public int InitImage(uint pasId, ReadOnlySpan<byte> metadata, PasContext? context)
    {
        if (metadata.IsEmpty) return -(int)Errno.EINVAL;
        var shm = _tee.AllocShm((ulong)metadata.Length);
        if (shm is null) return -(int)Errno.ENOMEM;
        if (shm.Write(0, metadata) != BusStatus.Ok)
        {
            _tee.FreeShm(shm);
            return -(int)Errno.EIO;
        }

        var ret = Invoke(QcomPasTa.InitImage, TeeParam.ValueIn(pasId), TeeParam.Memref(TeeParamType.MemrefInput, shm, (ulong)metadata.Length));
        if (ret != 0 || context is null)
        {
            _tee.FreeShm(shm);
            return ret;
        }

        MetadataRelease(context);
        context.TeeMetadata = shm;
        return 0;
    }

    /// <summary>MEM_SETUP: value a = pas_id, b = size (32 bits); value a/b = address low/high.</summary>
    public int MemSetup(uint pasId, PhysAddr address, ulong size) =>
        Invoke(QcomPasTa.MemSetup, TeeParam.ValueIn(pasId, (uint)size), TeeParam.ValueIn(address.Value & 0xFFFF_FFFF, address.Value >> 32));

    /// <summary>
    /// GET_RESOURCE_TABLE (no input table: an empty 16-byte one), two passes: first a null memref of the input's size, the TA answers the size it
    /// needs; if that is at least the input size, a shm of that size gets the input table, the second
    /// call fills it, and <c>size</c> bytes come back; if it is smaller, no table (size 0, null).
    /// </summary>
    public int GetRscTable(PasContext context, ReadOnlySpan<byte> inputTable, out byte[]? table)
    {
        ArgumentNullException.ThrowIfNull(context);
        table = null;
        // As on the SCM path, a caller without a table sends an empty one (ver 0, num 0): the TA parses what it gets.
        if (inputTable.IsEmpty) inputTable = EmptyTable;
        var inputSize = (ulong)inputTable.Length;
        var query = TeeParam.Memref(TeeParamType.MemrefInout, null, inputSize);
        var ret = Invoke(QcomPasTa.GetResourceTable, TeeParam.ValueIn(context.PasId), query);
        if (ret != 0) return ret;
        var needed = query.Size;
        if (needed < inputSize || needed == 0) return 0;

        var shm = _tee.AllocShm(needed);
        if (shm is null) return -(int)Errno.ENOMEM;
        try
        {
            if (shm.Write(0, inputTable) != BusStatus.Ok) return -(int)Errno.EIO;
            var buffer = TeeParam.Memref(TeeParamType.MemrefInout, shm, needed);
            ret = Invoke(QcomPasTa.GetResourceTable, TeeParam.ValueIn(context.PasId), buffer);
            if (ret != 0) return ret;
            if (buffer.Size > needed) return -(int)Errno.EOVERFLOW;
            var bytes = new byte[buffer.Size];
            if (shm.Read(0, bytes) != BusStatus.Ok) return -(int)Errno.EIO;
            table = bytes;
            return 0;
        }
        finally
        {
            _tee.FreeShm(shm);
        }
    }

    /// <summary>prepare_and_auth_reset: the context's carveout (size truncated to value.b's 32 bits) and the empty memref reserved for lending it.</summary>
    public int PrepareAndAuthReset(PasContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AuthAndReset(context.PasId, context.MemPhys.Value, context.MemSize);
    }

    /// <summary>auth_and_reset: 0/0 for address and size.</summary>
    public int AuthAndReset(uint pasId) => AuthAndReset(pasId, 0, 0);

    public int SetRemoteState(uint state, uint pasId) => Invoke(QcomPasTa.SetRemoteState, TeeParam.ValueIn(pasId, state));

    public int Shutdown(uint pasId) => Invoke(QcomPasTa.Shutdown, TeeParam.ValueIn(pasId));

    /// <summary>Frees the kept shm and clears ctx->ptr.</summary>
    public void MetadataRelease(PasContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TeeMetadata is not { } shm) return;
        context.TeeMetadata = null;
        _tee.FreeShm(shm);
    }

    private int AuthAndReset(uint pasId, ulong memPhys, ulong memSize) =>
        Invoke(QcomPasTa.AuthAndReset,
            TeeParam.ValueIn(pasId, (uint)memSize),
            TeeParam.ValueIn(memPhys & 0xFFFF_FFFF, memPhys >> 32),
            TeeParam.Memref(TeeParamType.MemrefInput, null, 0));

    /// <summary>One invoke with the given parameters padded to four with NONE.</summary>
    private int Invoke(uint function, params TeeParam[] given)
    {
        var parameters = new TeeParam[4];
        for (var i = 0; i < 4; i++) parameters[i] = i < given.Length ? given[i] : TeeParam.None;
        var ret = _tee.Invoke(_session, function, parameters, out var result);
        var errno = ret < 0 ? ret : result.Ok ? 0 : -(int)Errno.EINVAL;
        Invoked?.Invoke(function, parameters, errno, result);
        return errno;
    }
}
