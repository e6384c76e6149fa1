using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Platform.Boards;
using Qtz.Secure.Hypervisor;

namespace Qtz.Cli.Commands;

/// <summary>
/// The board options shared by <c>qtz boot</c> and <c>qtz shell</c> (--dtb, --overlay, --firmware, --mode, --tee,
/// --el2-design, --no-el2-overlay, --no-recovery, --late-attach, --coredump, --trust-root), read into <see cref="BoardOptions"/>: one definition,
/// so the two commands never drift.
/// </summary>
internal sealed class BoardCommandOptions
{
    private readonly Option<string?> _dtb = new("--dtb") { Description = $"Device tree blob (default: the embedded {DefaultBoard.DtbFileName})" };
    private readonly Option<string[]> _overlay = new("--overlay") { Description = "Overlay .dtbo applied before anything else (repeatable)", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> _firmware = new("--firmware") { Description = "A /lib/firmware-like directory; images are found by each node's firmware-name (default: test-signed images generated in memory for every PAS id)" };
    private readonly Option<string> _mode = new("--mode") { Description = "qhee: Linux at EL1 under QHEE; kvm: Linux at EL2 as the KVM host (default qhee; kvm with --tee optee)", DefaultValueFactory = _ => "qhee" };
    private readonly Option<string> _tee = new("--tee") { Description = "Secure OS behind Linux's PAS calls: qtee (Qualcomm's TEE through SCM calls) or optee (OP-TEE's PAS TA through the TEE client interface)", DefaultValueFactory = _ => "qtee" };
    private readonly Option<string> _design = new("--el2-design") { Description = "KVM mode: rsctable (GET_RSCTABLE, merged 2026 design) or devmem (qcom,devmem, 2024 seed)", DefaultValueFactory = _ => "rsctable" };
    private readonly Option<bool> _noOverlay = new("--no-el2-overlay") { Description = "KVM mode: do not apply the shipped EL2 overlay when the tree has no iommus" };
    private readonly Option<bool> _noRecovery = new("--no-recovery") { Description = "Leave a crashed DSP crashed (Linux's default, and qtz's, is to recover it)" };
    private readonly Option<string[]> _lateAttach = new("--late-attach") { Description = "A DSP the bootloader started and Linux attaches to (repeatable; 'none': the bootloader starts none). Default: the SoC rows that say early_boot", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string> _coredump = new("--coredump") { Description = "debugfs coredump of every remoteproc at probe: disabled (Linux's default) or enabled (recovery keeps a dump)", DefaultValueFactory = _ => "disabled" };
    private readonly Option<string[]> _trustRoot = new("--trust-root") { Description = "Also trust this root: SHA-384 or SHA-256 of the root certificate, hex (repeatable)", Arity = ArgumentArity.ZeroOrMore };

    public IEnumerable<Option> All => [_dtb, _overlay, _firmware, _mode, _tee, _design, _noOverlay, _noRecovery, _lateAttach, _coredump, _trustRoot];

    public BoardOptions Read(ParseResult parse) => new()
    {
        Dtb = parse.GetValue(_dtb) is { } d ? new NamedBlob(d, ReadFile(d, "--dtb")) : null,
        Overlays = (parse.GetValue(_overlay) ?? []).Select(o => new NamedBlob(o, ReadFile(o, "--overlay"))).ToArray(),
        FirmwareDirectory = parse.GetValue(_firmware),
        Tee = ReadTee(parse),
        Mode = ReadMode(parse),
        El2Design = parse.GetValue(_design) switch
        {
            "rsctable" => El2Design.RscTable,
            "devmem" => El2Design.Devmem,
            var m => throw new CliUsageException($"--el2-design {m}: expected rsctable or devmem"),
        },
        NoEl2Overlay = parse.GetValue(_noOverlay),
        RecoveryDisabled = parse.GetValue(_noRecovery),
        LateAttach = parse.GetValue(_lateAttach) is { Length: > 0 } late ? late.Where(n => n != "none").ToArray() : null,
        Coredump = parse.GetValue(_coredump) switch
        {
            "disabled" => Qtz.Kernel.Remoteproc.RprocCoredumpMode.Disabled,
            "enabled" => Qtz.Kernel.Remoteproc.RprocCoredumpMode.Enabled,
            var m => throw new CliUsageException($"--coredump {m}: expected disabled or enabled"),
        },
        TrustRoots = (parse.GetValue(_trustRoot) ?? []).Select(h => FwCommand.ParseHex(h, "--trust-root")).ToArray(),
    };

    private TeeBackend ReadTee(ParseResult parse) => parse.GetValue(_tee) switch
    {
        "qtee" => TeeBackend.Qtee,
        "optee" => TeeBackend.Optee,
        var t => throw new CliUsageException($"--tee {t}: expected qtee or optee"),
    };

    /// <summary>OP-TEE boards run Linux at EL2 (no QHEE), so --tee optee without --mode means kvm; an explicit qhee is refused.</summary>
    private KernelMode ReadMode(ParseResult parse)
    {
        var mode = parse.GetValue(_mode) switch
        {
            "qhee" => KernelMode.Qhee,
            "kvm" => KernelMode.Kvm,
            var m => throw new CliUsageException($"--mode {m}: expected qhee or kvm"),
        };
        if (ReadTee(parse) != TeeBackend.Optee) return mode;
        if (parse.GetResult(_mode) is { Implicit: false } && mode == KernelMode.Qhee)
            throw new CliUsageException("--tee optee with --mode qhee: OP-TEE boards run Linux at EL2 without QHEE; use --mode kvm (the default with --tee optee)");
        return KernelMode.Kvm;
    }

    private static byte[] ReadFile(string path, string option) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new CliUsageException($"{option} {path}: no such file");
}
