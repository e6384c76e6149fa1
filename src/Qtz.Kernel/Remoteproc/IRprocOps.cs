using Qtz.Firmware.Images;

namespace Qtz.Kernel.Remoteproc;

/// <summary>
/// struct rproc_ops: what a remoteproc driver plugs into the core. Operations report failure by
/// throwing <see cref="RprocException"/> with the errno and a cause a user can act on; the core
/// catches it, unwinds and records the cause.
/// </summary>
public interface IRprocOps
{
    /// <summary>ops->prepare (runs after the IOMMU domain is enabled, before parse_fw).</summary>
    void Prepare(Rproc rproc);

    /// <summary>ops->unprepare.</summary>
    void Unprepare(Rproc rproc);

    /// <summary>ops->parse_fw: may install a cached resource table with <see cref="Rproc.SetCachedTable"/>.</summary>
    void ParseFirmware(Rproc rproc, FirmwareImage firmware);

    /// <summary>ops->load.</summary>
    void Load(Rproc rproc, FirmwareImage firmware);

    /// <summary>ops->start: returns once the remote processor is up.</summary>
    void Start(Rproc rproc);

    /// <summary>ops->stop.</summary>
    void Stop(Rproc rproc);

    /// <summary>ops->da_to_va for coredumps: copy device memory at <paramref name="deviceAddress"/>; false when out of range.</summary>
    bool ReadDeviceMemory(ulong deviceAddress, Span<byte> destination);
}

/// <summary>A remoteproc operation failed: the errno Linux would return and a human-readable cause.</summary>
public sealed class RprocException : Exception
{
    public RprocException()
    {
    }

    public RprocException(string message)
        : base(message)
    {
    }

    public RprocException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RprocException(Errno errno, string message)
        : base(message) => Errno = errno;

    public RprocException(Errno errno, string message, Exception innerException)
        : base(message, innerException) => Errno = errno;

    public Errno Errno { get; } = Errno.EINVAL;
}
