using Qtz.Kernel.Pas;
using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Firmware.Images;
using Qtz.Kernel.ScmClient;
using Qtz.Soc.Addressing;
using Qtz.Soc;

namespace Qtz.Kernel.Peripherals;

/// <summary>What every non-remoteproc PAS user is built from: its node, the SCM client, request_firmware and the region it loads into.</summary>
public sealed record PasUserConfig
{
    /// <summary>The driver's node (video codec, IPA) or, for the zap shader, the GPU node.</summary>
    public required DtNode Node { get; init; }

    public required string Name { get; init; }

    public required Scm Scm { get; init; }

    /// <summary>The generic PAS layer (qcom_pas) the driver's PAS calls go through.</summary>
    public required QcomPas Pas { get; init; }

    /// <summary>request_firmware: throws <see cref="FileNotFoundException"/> when the file is absent.</summary>
    public required Func<string, FirmwareImage> RequestFirmware { get; init; }

    /// <summary>memory-region → its range (static <c>reg</c> or where Linux allocated a dynamic region); null when it has none.</summary>
    public required Func<DtNode, PhysRange?> RegionOf { get; init; }
}

/// <summary>State, cause and trace shared by the PAS users that are not remoteprocs.</summary>
public abstract class PasUserBase : IPasUser
{
    protected PasUserBase(PasUserConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
    }

    protected PasUserConfig Config { get; }

    protected Scm Scm => Config.Scm;

    protected QcomPas Pas => Config.Pas;

    public string Name => Config.Name;

    public abstract uint PasId { get; }

    public abstract PasUserKind Kind { get; }

    public abstract string Firmware { get; }

    public string State { get; protected set; } = "offline";

    public string? Reason { get; protected set; }

    /// <summary>Why the last start/stop was refused or failed; cleared by a success.</summary>
    public string? LastError { get; private set; }

    public virtual bool Ok => State is "running" or "off" or "skipped" or "suspended";

    public event Action<string>? Traced;

    public abstract Errno Start();

    public abstract Errno Stop();

    protected void Trace(string message) => Traced?.Invoke(message);

    /// <summary>Records a failure: state "failed" (or <paramref name="state"/>), the cause, and Linux's errno.</summary>
    protected Errno Fail(Errno errno, string reason, string state = "failed")
    {
        State = state;
        Reason = $"{reason} (-{errno})";
        LastError = Reason;
        Trace(Reason);
        return errno;
    }

    /// <summary>An operation refused without changing the state (already running, nothing to stop).</summary>
    protected Errno Refuse(Errno errno, string why)
    {
        LastError = $"{why} (-{errno})";
        Trace(LastError);
        return errno;
    }

    protected Errno Succeed(string state = "running", string? reason = null)
    {
        State = state;
        Reason = reason;
        LastError = null;
        return Errno.None;
    }

    /// <summary>memory-region[<paramref name="index"/>] of <paramref name="node"/>, or null when it has none (or it does not resolve).</summary>
    protected PhysRange? Region(DtNode node, int index = 0)
    {
        try
        {
            var regions = node.GetMemoryRegions();
            return regions.Count > index ? Config.RegionOf(regions[index]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>request_firmware: the image, or null with <paramref name="errno"/> set (-ENOENT absent, -EINVAL malformed).</summary>
    protected FirmwareImage? Request(string name, out Errno errno, out string why)
    {
        errno = Errno.None;
        why = "";
        try
        {
            return Config.RequestFirmware(name);
        }
        catch (FileNotFoundException e)
        {
            (errno, why) = (Errno.ENOENT, e.Message);
        }
        catch (FormatException e)
        {
            (errno, why) = (Errno.EINVAL, $"{name}: {e.Message}");
        }
        catch (IOException e)
        {
            (errno, why) = (Errno.EIO, $"{name}: {e.Message}");
        }

        return null;
    }
}
