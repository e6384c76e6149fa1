using Qtz.Soc;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;
using Qtz.Kernel.ScmClient;

namespace Qtz.Kernel.Pas;

/// <summary>
/// drivers/firmware/qcom/qcom_pas.c, the generic PAS layer (spec/socs.md §4.1-4.2): one published
/// backend, every call forwarded to it. Registration is first-wins (a second backend is logged as
/// "already registered by &lt;name&gt;" and ignored, no error); unregistration clears unconditionally.
/// Without a backend int calls return -ENODEV, <see cref="Supported"/> false and
/// <see cref="GetRscTable"/> -ENODEV; a null context is -EINVAL for GetRscTable and
/// PrepareAndAuthReset; <see cref="MetadataRelease"/> is a no-op without a context or metadata. Clients
/// call <see cref="IsAvailable"/> first (Linux defers their probe while it is false). One instance per
/// board stands for Linux's one global pointer; calls from several threads are allowed once registered.
/// </summary>
public sealed class QcomPas
{
    private IPasOps? _ops;

    /// <summary>Registration messages (dev_info/dev_err lines), oldest first.</summary>
    public event Action<string>? Logged;

    /// <summary>The registered backend's drv_name, or null.</summary>
    public string? BackendName => Volatile.Read(ref _ops)?.DriverName;

    public IPasOps? Backend => Volatile.Read(ref _ops);

    /// <summary>qcom_pas_is_available: a backend is published (acquire load).</summary>
    public bool IsAvailable() => Volatile.Read(ref _ops) is not null;

    /// <summary>qcom_pas_ops_register: publishes <paramref name="ops"/> only if none is registered; returns whether it was.</summary>
    public bool Register(IPasOps ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var previous = Interlocked.CompareExchange(ref _ops, ops, null);
        if (previous is not null)
        {
            Logged?.Invoke($"qcom_pas: {ops.DriverName}: already registered by {previous.DriverName}");
            return false;
        }

        Logged?.Invoke($"qcom_pas: backend {ops.DriverName} registered");
        return true;
    }

    /// <summary>qcom_pas_ops_unregister: clears the pointer, whoever asks.</summary>
    public void Unregister()
    {
        if (Interlocked.Exchange(ref _ops, null) is { } old) Logged?.Invoke($"qcom_pas: backend {old.DriverName} unregistered");
    }

    /// <summary>devm_qcom_pas_context_alloc.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "mirrors the qcom_pas API")]
    public PasContext ContextAlloc(uint pasId, PhysAddr memPhys, ulong memSize) => new(pasId, memPhys, memSize);

    public bool Supported(uint pasId) => Backend is { } ops && ops.Supported(pasId);

    public int InitImage(uint pasId, ReadOnlySpan<byte> metadata, PasContext? context) =>
        Backend is { } ops ? ops.InitImage(pasId, metadata, context) : NoDevice;

    public int MemSetup(uint pasId, PhysAddr address, ulong size) =>
        Backend is { } ops ? ops.MemSetup(pasId, address, size) : NoDevice;

    public int GetRscTable(PasContext? context, ReadOnlySpan<byte> inputTable, out byte[]? table)
    {
        table = null;
        if (Backend is not { } ops) return NoDevice;
        if (context is null) return -(int)Errno.EINVAL;
        return ops.GetRscTable(context, inputTable, out table);
    }

    public int AuthAndReset(uint pasId) => Backend is { } ops ? ops.AuthAndReset(pasId) : NoDevice;

    public int PrepareAndAuthReset(PasContext? context)
    {
        if (Backend is not { } ops) return NoDevice;
        if (context is null) return -(int)Errno.EINVAL;
        return ops.PrepareAndAuthReset(context);
    }

    /// <summary>qcom_pas_set_remote_state(state, pas_id): video's call (the TEE backend treats the id as the PAS id).</summary>
    public int SetRemoteState(uint state, uint pasId) => Backend is { } ops ? ops.SetRemoteState(state, pasId) : NoDevice;

    public int Shutdown(uint pasId) => Backend is { } ops ? ops.Shutdown(pasId) : NoDevice;

    public void MetadataRelease(PasContext? context)
    {
        if (context is null || !context.HasMetadata) return;
        Backend?.MetadataRelease(context);
    }

    private static int NoDevice => -(int)Errno.ENODEV;
}
