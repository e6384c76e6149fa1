using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Firmware.Mdt;
using Qtz.Firmware;
using Qtz.Soc;

namespace Qtz.Kernel.Peripherals;

/// <summary>What the GPU's catalogue entry says about its zap shader: the legacy file name (null: firmware-name required) and its generation.</summary>
public sealed record AdrenoZapInfo(string Gpu, string? LegacyFirmware, int Generation);

/// <summary>
/// adreno_zap_shader_load / zap_shader_load_mdt (spec/socs.md §5.2), run at GPU hw_init. A GPU node without an
/// enabled <c>zap-shader</c> child: -ENODEV, zap permanently off (the CPU takes the GPU out of secure mode
/// itself). The zap node's own <c>memory-region</c> (missing: -EINVAL) must hold the MDT span (else -E2BIG).
/// <c>firmware-name</c> in the zap node is requested as given; without it the catalogue's legacy name is tried
/// as <c>qcom/NAME</c> then <c>NAME</c>, and a GPU without a legacy name gets -ENOENT ("firmware missing").
/// qcom_mdt_load(13), AUTH_AND_RESET(13): -EOPNOTSUPP means the target does not need the zap shader (off,
/// quietly, for good). Later hw_inits (GPU resume): a5xx sends SET_REMOTE_STATE(0, 13); a6xx and later make
/// no call (UNCONFIRMED). There is no unload: <see cref="Stop"/> is the GPU suspending, with no SCM call.
/// </summary>
public sealed class ZapShader : PasUserBase
{
    public const uint GpuPasId = 13;

    /// <summary>SCM_GPU_ZAP_SHADER_RESUME.</summary>
    public const uint ZapShaderResume = 0;

    private readonly AdrenoZapInfo _gpu;
    private bool _available = true;
    private bool _loaded;

    public ZapShader(PasUserConfig config, AdrenoZapInfo gpu)
        : base(config)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        _gpu = gpu;
    }

    public override uint PasId => GpuPasId;

    public override PasUserKind Kind => PasUserKind.GpuZap;

    /// <summary>The <c>zap-shader</c> child of the GPU node, if any.</summary>
    public DtNode? ZapNode => Config.Node.Children.FirstOrDefault(c => c.BaseName == "zap-shader");

    public override string Firmware => ZapNode is not { } zap ? "-"
        : zap.GetStringList("firmware-name") is [var name, ..] ? name : _gpu.LegacyFirmware ?? "(firmware-name required)";

    /// <summary>GPU hw_init's zap step; -ENODEV (zap off) is Linux's normal way on.</summary>
    public override Errno Start()
    {
        if (State == "running") return Refuse(Errno.EBUSY, "the zap shader is loaded and the GPU is up");
        if (!_available) return Off(Reason ?? "zap shader unavailable");
        if (_loaded) return Resume();
        if (ZapNode is not { } zap || !zap.IsEnabled)
        {
            _available = false;
            return Off(ZapNode is null ? "no zap-shader node: the GPU leaves secure mode without it (-ENODEV)" : "zap-shader node disabled: the GPU leaves secure mode without it (-ENODEV)", Errno.ENODEV);
        }

        if (Region(zap) is not { } mem) return Fail(Errno.EINVAL, $"{zap.Path}: no memory-region");
        var names = zap.GetStringList("firmware-name") is [var given, ..] ? [given]
            : _gpu.LegacyFirmware is { } legacy ? new[] { "qcom/" + legacy, legacy }
            : null;
        if (names is null) return Fail(Errno.ENOENT, $"firmware missing: {zap.Path} has no firmware-name and {_gpu.Gpu} has no legacy zap name");
        Firmware.Images.FirmwareImage? fw = null;
        var why = "";
        var errno = Errno.ENOENT;
        foreach (var name in names)
        {
            fw = Request(name, out errno, out why);
            if (fw is not null) break;
        }

        if (fw is null) return Fail(errno, $"firmware missing: {why}");
        using (fw)
        {
            var span = MdtRules.GetSize(fw.Elf);
            if (span > mem.Size) return Fail(Errno.E2BIG, $"memory region {mem} is too small to load the MDT (span 0x{span:x})");
            var ret = PeripheralPas.MdtLoad(Pas, Scm, PasId, mem, fw, Trace, out var loadError);
            if (ret != 0) return Fail(PeripheralPas.ToErrno(ret), loadError ?? PeripheralPas.Describe(ret));
        }

        var auth = PeripheralPas.AuthAndReset(Pas, PasId, Trace);
        if (auth == -(int)Errno.EOPNOTSUPP)
        {
            _available = false;
            return Off("TrustZone answered AUTH_AND_RESET with -EOPNOTSUPP: this target does not need the zap shader");
        }

        if (auth != 0) return Fail(PeripheralPas.ToErrno(auth), $"unable to authorize the image: {PeripheralPas.Describe(auth)}");
        _loaded = true;
        return Succeed(reason: "GPU taken out of secure mode by the zap shader");
    }

    /// <summary>GPU suspend: the zap shader stays with TrustZone; Linux makes no SCM call.</summary>
    public override Errno Stop()
    {
        if (State != "running") return Refuse(Errno.EINVAL, $"the zap shader is {State}: nothing to suspend");
        Trace("GPU suspended: the zap shader stays loaded in TrustZone (no SCM call)");
        return Succeed("suspended", "GPU suspended; the next hw_init resumes the zap shader");
    }

    private Errno Resume()
    {
        if (_gpu.Generation == 5)
        {
            var ret = PeripheralPas.SetRemoteState(Pas, ZapShaderResume, PasId, Trace);
            if (ret != 0) return Fail(PeripheralPas.ToErrno(ret), $"zap shader resume refused: {PeripheralPas.Describe(ret)}");
        }
        else
        {
            Trace("hw_init again: the zap shader is already loaded (no SCM call on this generation; UNCONFIRMED)");
        }

        return Succeed(reason: "GPU taken out of secure mode by the zap shader");
    }

    private Errno Off(string reason, Errno errno = Errno.None)
    {
        State = "off";
        Reason = reason;
        Trace(reason);
        return errno;
    }
}
