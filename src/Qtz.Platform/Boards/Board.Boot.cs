using Qtz.Firmware.Verification;
using Qtz.Kernel;
using Qtz.Kernel.Remoteproc;
using Qtz.Secure;
using Qtz.Soc;
using Qtz.Secure.Hypervisor;
using Qtz.Secure.Pas;
using Qtz.Soc.Addressing;

namespace Qtz.Platform.Boards;

/// <summary>One row of the boot table.</summary>
public sealed record RemoteprocReport(
    string Name,
    uint PasId,
    PhysRange Carveout,
    string CarveoutName,
    string Firmware,
    string? Signer,
    string State,
    TimeSpan? BootTime,
    int SmmuMappings,
    string? Failure)
{
    /// <summary>Running, or attached to after the bootloader started it (late attach).</summary>
    public bool Running => State is "running" or "attached";

    /// <summary>The SoC whose table bound the node.</summary>
    public string Soc { get; init; } = "";

    /// <summary>The DTB image (firmware-name[1] or the default) and its PAS id, on SoCs that have one.</summary>
    public string? DtbFirmware { get; init; }

    public uint? DtbPasId { get; init; }

    /// <summary>Power domains Linux votes for while the DSP boots (dropped at handover).</summary>
    public IReadOnlyList<string> ProxyPowerDomains { get; init; } = [];
}

/// <summary>What a boot did: one report per enabled remoteproc, plus the board's own notes.</summary>
public sealed record BootReport(KernelMode Mode, El2Design El2Design, string DeviceTree, string Firmware, IReadOnlyList<string> Notes, IReadOnlyList<RemoteprocReport> Remoteprocs)
{
    /// <summary>The secure-world front door Linux's PAS calls went through.</summary>
    public TeeBackend Tee { get; init; }

    /// <summary>The generic PAS layer's registered backend (its drv_name: qcom_scm or qcom-pas-tee), or null when none registered.</summary>
    public string? PasBackend { get; init; }

    /// <summary>Every PAS user — the remoteprocs and the others (video, zap shader, IPA, WCNSS) — with its state.</summary>
    public IReadOnlyList<PeripheralReport> Peripherals { get; init; } = [];

    /// <summary>There is something to boot and all of it came up (or is off/skipped by design, as Linux carries on).</summary>
    public bool AllRunning => (Remoteprocs.Count > 0 || Peripherals.Count > 0) && Remoteprocs.All(r => r.Running) && Peripherals.All(p => p.Ok);
}

public sealed partial class Board
{
    /// <summary>Time the board lets pass after the last boot so handovers and crash work complete.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<string, TimeSpan> _bootTimes = new(StringComparer.Ordinal);

    /// <summary>Boots every probed remoteproc in PAS-id order (Linux's auto-boot), then lets the board settle.</summary>
    public BootReport Boot()
    {
        foreach (var r in Remoteprocs)
        {
            if (Driver(r.Name) is not { } driver) continue;
            var start = Clock.Now;
            var e = driver.Rproc.Boot();
            if (e == Errno.None) _bootTimes[r.Name] = Clock.Now - start;
        }

        BootPasUsers();
        Clock.Advance(SettleTime);
        return Report();
    }

    /// <summary>Stops every running remoteproc (rproc_shutdown) and lets the board settle.</summary>
    public void ShutdownAll()
    {
        foreach (var driver in _drivers.Values)
        {
            if (driver.Rproc.State is RprocState.Running or RprocState.Attached) driver.Rproc.Shutdown();
        }

        foreach (var user in _pasUserDrivers.Values.OfType<Kernel.Peripherals.WcnssRemoteproc>())
        {
            if (user.Rproc.State is RprocState.Running) user.Rproc.Shutdown();
        }

        Clock.Advance(SettleTime);
    }

    public BootReport Report() => new(Options.Mode, Options.El2Design, DeviceTree.Name, Firmware.Description, [.. Notes], Remoteprocs.Select(ReportOf).ToArray())
    {
        Tee = Options.Tee,
        PasBackend = PasLayer.BackendName,
        Peripherals = [.. PeripheralReports()],
    };

    /// <summary>IOMMU mappings live for a remoteproc: Linux's (KVM host) or QHEE's (under the hypervisor).</summary>
    public int SmmuMappingsOf(BoardRemoteproc r) => Qhee is not null ? Qhee.MappingsOf(r.PasId).Count : Driver(r.Name)?.Rproc.Mappings.Count ?? 0;

    private RemoteprocReport ReportOf(BoardRemoteproc r)
    {
        var driver = Driver(r.Name);
        var state = driver is null ? "probe-failed" : RprocNames.Of(driver.Rproc.State);
        var seen = FirmwareSeen(r.Name);
        var signer = seen?.Signers is [var s, ..]
            ? $"{s.Signer} {s.Scheme}, root {Convert.ToHexStringLower(s.RootHash)[..16]}… ({s.RootClass}{(Fuses.IsTrusted(s.RootSha256, s.RootSha384) ? ", fused" : ", NOT fused")})"
            : null;
        var firmware = seen is not null ? seen.Image.Name : r.FirmwareName ?? r.Data.FirmwareName;
        return new RemoteprocReport(r.Name, r.PasId, r.Carveout, r.CarveoutName, firmware, signer, state,
            _bootTimes.TryGetValue(r.Name, out var t) ? t : null, SmmuMappingsOf(r), state == "running" ? null : FailureOf(r, driver))
        {
            Soc = r.Soc,
            DtbFirmware = r.RequestedDtbFirmware,
            DtbPasId = r.Data.DtbPasId,
            ProxyPowerDomains = r.Data.ProxyPowerDomains,
        };
    }

    /// <summary>The sha384 TZ names in an untrusted-root refusal.</summary>
    private static string? RootHashIn(string reason)
    {
        var at = reason.IndexOf("sha384 ", StringComparison.Ordinal);
        return at < 0 || reason.Length < at + 7 + 96 ? null : reason.Substring(at + 7, 96);
    }

    /// <summary>The most specific cause the board can name: TZ's refusal, the DSP's crash reason, the driver's error.</summary>
    private string FailureOf(BoardRemoteproc r, PasRemoteproc? driver)
    {
        if (driver is null) return _probeErrors.GetValueOrDefault(r.Name, "not probed");
        var parts = new List<string>();
        if (driver.Rproc.LastCrash is { } crash) parts.Add($"crashed ({crash})");
        foreach (var id in new[] { r.Data.DtbPasId, r.PasId }.OfType<uint>())
        {
            if (Pas.LastError(id) is not { } refused) continue;
            var what = id == r.PasId ? "" : $" of the DTB image (PAS 0x{id:x})";
            parts.Add($"TrustZone refused {refused.Call}{what}: {refused.Reason}");
            if (refused.Code == PasErrors.UntrustedRoot && RootHashIn(refused.Reason) is { } hash)
                parts.Add($"to trust that root, pass --trust-root {hash}");
        }

        if (r.Core.LastCrashReason is { } reason && driver.Rproc.LastCrash is null) parts.Add($"DSP: {reason}");
        if (driver.Rproc.LastError is { } error) parts.Add(error);
        if (parts.Count == 0) parts.Add($"state {RprocNames.Of(driver.Rproc.State)}");
        return string.Join("; ", parts.Distinct());
    }
}
