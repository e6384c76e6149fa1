using Qtz.DeviceTree.Model;
using Qtz.Soc;

namespace Qtz.Kernel.Peripherals;

/// <summary>Who loads IPA's GSI firmware (ipa_firmware_loader).</summary>
public enum IpaLoader
{
    Self,
    Modem,
    Skip,
}

/// <summary>
/// ipa_firmware_loader + ipa_firmware_load (spec/socs.md §5.3). Legacy trees: <c>modem-init</c> means the modem
/// loads, otherwise the AP does; <c>qcom,gsi-loader</c> = "self" | "modem" | "skip" (with <c>modem-init</c> as
/// well, or any other value: -EINVAL at probe). Self-load: memory-region[0] (missing: -EINVAL), firmware-name or
/// "ipa_fws.mdt", qcom_mdt_load(15), AUTH_AND_RESET(15). "skip" is taken as "already loaded, nothing to do"
/// (its exact semantics UNCONFIRMED). The IPA driver never unloads GSI firmware: <see cref="Stop"/> refuses.
/// </summary>
public sealed class IpaGsiFirmware : PasUserBase
{
    public const uint IpaPasId = 15;

    public const string DefaultFirmware = "ipa_fws.mdt";

    public IpaGsiFirmware(PasUserConfig config)
        : base(config) => Loader = LoaderOf(config.Node);

    public override uint PasId => IpaPasId;

    public override PasUserKind Kind => PasUserKind.Ipa;

    public IpaLoader Loader { get; }

    public override string Firmware => Config.Node.GetString("firmware-name") ?? DefaultFirmware;

    /// <summary>Throws <see cref="PasUserProbeException"/> (-EINVAL) for a loader the driver rejects.</summary>
    public static IpaLoader LoaderOf(DtNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var modemInit = node.HasProperty("modem-init");
        var value = node.FindProperty("qcom,gsi-loader");
        if (value is null) return modemInit ? IpaLoader.Modem : IpaLoader.Self;
        if (modemInit) throw new PasUserProbeException(Errno.EINVAL, $"{node.Path}: both modem-init and qcom,gsi-loader are set");
        return node.GetString("qcom,gsi-loader") switch
        {
            "self" => IpaLoader.Self,
            "modem" => IpaLoader.Modem,
            "skip" => IpaLoader.Skip,
            var other => throw new PasUserProbeException(Errno.EINVAL, $"{node.Path}: qcom,gsi-loader '{other}' is not self, modem or skip"),
        };
    }

    public override Errno Start()
    {
        if (State == "running") return Refuse(Errno.EBUSY, "GSI firmware is already loaded");
        if (Loader == IpaLoader.Modem) return Succeed("skipped", "qcom,gsi-loader: the modem loads the GSI firmware (no PAS call from Linux)");
        if (Loader == IpaLoader.Skip) return Succeed("skipped", "qcom,gsi-loader \"skip\": GSI firmware taken as already loaded");
        if (Region(Config.Node) is not { } mem) return Fail(Errno.EINVAL, $"{Config.Node.Path}: DT error getting \"memory-region\"");
        using var fw = Request(Firmware, out var errno, out var why);
        if (fw is null) return Fail(errno, why);
        var ret = PeripheralPas.MdtLoad(Pas, Scm, PasId, mem, fw, Trace, out var loadError);
        if (ret != 0) return Fail(PeripheralPas.ToErrno(ret), $"error loading \"{Firmware}\": {loadError ?? PeripheralPas.Describe(ret)}");
        ret = PeripheralPas.AuthAndReset(Pas, PasId, Trace);
        if (ret != 0) return Fail(PeripheralPas.ToErrno(ret), $"error authenticating \"{Firmware}\": {PeripheralPas.Describe(ret)}");
        return Succeed();
    }

    public override Errno Stop() =>
        Refuse(Errno.EOPNOTSUPP, "Linux's IPA driver never unloads the GSI firmware");
}
