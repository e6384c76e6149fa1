using Qtz.Firmware.Images;
using Qtz.Firmware.Mdt;
using Qtz.Firmware;
using Qtz.Soc;

namespace Qtz.Kernel.Peripherals;

/// <summary>Which video driver binds the node: venus (firmware.c) or iris (iris_firmware.c).</summary>
public enum VideoDriver
{
    Venus,
    Iris,
}

/// <summary>One content-protection config of a video platform: MP VIDEO_VAR's four arguments.</summary>
public readonly record struct VideoContentProtection(uint Start, uint Size, uint NonPixelStart, uint NonPixelSize);

/// <summary>What the video driver's platform data says (venus_resources / iris_platform_data): default firmware and CP configs.</summary>
public sealed record VideoPlatform(VideoDriver Driver, string DefaultFirmware)
{
    /// <summary>VIDEO_VAR calls after AUTH_AND_RESET: venus makes one when cp_size is set, iris one per entry.</summary>
    public IReadOnlyList<VideoContentProtection> ContentProtection { get; init; } = [];
}

/// <summary>
/// venus_boot / iris_fw_load and their shutdown (spec/socs.md §5.1): firmware-name[0] or the platform default,
/// memory-region[0] (missing: -EINVAL), the MDT span must fit it (-EINVAL), qcom_mdt_load(9) then
/// AUTH_AND_RESET(9), then MP VIDEO_VAR per content-protection config (failure: SHUTDOWN(9) and its error).
/// iris returns any load or authentication failure as -ENOMEM and refuses names of 124 bytes or more.
/// A node with a <c>video-firmware</c> child boots without TZ (no PAS call; its register-level start is not modelled).
/// Suspend/resume are SET_REMOTE_STATE(0/1, id); id 0 is mainline's (the posted generic-PAS series passes 9).
/// </summary>
public sealed class VideoFirmware : PasUserBase
{
    public const uint VideoPasId = 9;

    /// <summary>iris: MAX_FIRMWARE_NAME_SIZE (128) less the terminator and slack: names must be shorter than 124.</summary>
    public const int IrisMaxNameLength = 124;

    private readonly VideoPlatform _platform;

    public VideoFirmware(PasUserConfig config, VideoPlatform platform)
        : base(config)
    {
        ArgumentNullException.ThrowIfNull(platform);
        _platform = platform;
        UseTz = !config.Node.Children.Any(c => c.BaseName == "video-firmware");
    }

    public override uint PasId => VideoPasId;

    public override PasUserKind Kind => PasUserKind.Video;

    public VideoDriver Driver => _platform.Driver;

    /// <summary>False when a <c>video-firmware</c> child moves the firmware into Linux's own IOMMU domain (no TZ).</summary>
    public bool UseTz { get; }

    /// <summary>SET_REMOTE_STATE's id: 0 in mainline's video drivers; the posted generic-PAS series passes the PAS id (UNCONFIRMED which ships).</summary>
    public uint RemoteStateId { get; init; }

    public override string Firmware => Config.Node.GetStringList("firmware-name") is [var name, ..] ? name : _platform.DefaultFirmware;

    public override Errno Start()
    {
        if (State == "running") return Refuse(Errno.EBUSY, $"{Name} is already booted");
        if (!UseTz)
            return Succeed(reason: "non-TZ boot (video-firmware node): Linux maps the firmware itself, no PAS call");
        var region = Region(Config.Node);
        if (region is not { } mem) return Fail(Errno.EINVAL, $"{Config.Node.Path}: no memory-region for the video firmware");
        var name = Firmware;
        if (Driver == VideoDriver.Iris && name.Length >= IrisMaxNameLength)
            return Fail(Errno.EINVAL, $"firmware name '{name}' is {name.Length} bytes; iris takes fewer than {IrisMaxNameLength}");
        using var fw = Request(name, out var missing, out var why);
        if (fw is null) return LoadFailed(missing, why);
        var span = MdtRules.GetSize(fw.Elf);
        if (span > mem.Size) return LoadFailed(Errno.EINVAL, $"{name} spans 0x{span:x} bytes; memory-region {mem} is smaller");
        var ret = PeripheralPas.MdtLoad(Pas, Scm, PasId, mem, fw, Trace, out var loadError);
        if (ret != 0) return LoadFailed(PeripheralPas.ToErrno(ret), loadError ?? PeripheralPas.Describe(ret));
        ret = PeripheralPas.AuthAndReset(Pas, PasId, Trace);
        if (ret != 0) return LoadFailed(PeripheralPas.ToErrno(ret), $"AUTH_AND_RESET refused: {PeripheralPas.Describe(ret)}");
        foreach (var cp in _platform.ContentProtection)
        {
            ret = PeripheralPas.VideoVar(Scm, cp, Trace);
            if (ret == 0) continue;
            PeripheralPas.Shutdown(Pas, PasId, Trace);
            return Fail(PeripheralPas.ToErrno(ret), $"MP VIDEO_VAR refused: {PeripheralPas.Describe(ret)}; video shut down again");
        }

        return Succeed();
    }

    /// <summary>venus_shutdown / iris_fw_unload: SHUTDOWN(9).</summary>
    public override Errno Stop()
    {
        if (State is not ("running" or "suspended")) return Refuse(Errno.EINVAL, $"{Name} is {State}: nothing to shut down");
        if (!UseTz) return Succeed("offline");
        var ret = PeripheralPas.Shutdown(Pas, PasId, Trace);
        if (ret != 0) return Fail(PeripheralPas.ToErrno(ret), $"SHUTDOWN refused: {PeripheralPas.Describe(ret)}", State);
        return Succeed("offline");
    }

    /// <summary>Runtime suspend: SET_REMOTE_STATE(0, id).</summary>
    public Errno Suspend() => SetHwState(resume: false);

    /// <summary>Runtime resume: SET_REMOTE_STATE(1, id).</summary>
    public Errno Resume() => SetHwState(resume: true);

    private Errno SetHwState(bool resume)
    {
        if (State != (resume ? "suspended" : "running")) return Refuse(Errno.EINVAL, $"{Name} is {State}: cannot {(resume ? "resume" : "suspend")}");
        if (UseTz)
        {
            var ret = PeripheralPas.SetRemoteState(Pas, resume ? 1u : 0u, RemoteStateId, Trace);
            if (ret != 0) return Fail(PeripheralPas.ToErrno(ret), $"SET_REMOTE_STATE refused: {PeripheralPas.Describe(ret)}", State);
        }

        return Succeed(resume ? "running" : "suspended");
    }

    private Errno LoadFailed(Errno errno, string why) =>
        Driver == VideoDriver.Iris ? Fail(Errno.ENOMEM, $"firmware download failed: {why}") : Fail(errno, why);
}
