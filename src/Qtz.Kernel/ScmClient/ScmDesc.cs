using Qtz.Soc;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Kernel.ScmClient;

/// <summary>enum qcom_scm_convention: what the client found TZ speaks (probed once, cached).</summary>
public enum ScmConvention : byte
{
    Unknown = 0,
    Legacy = 1,
    Arm32 = 2,
    Arm64 = 3,
}

/// <summary>
/// struct qcom_scm_desc: one call to make — service, command, arginfo and up to ten arguments (values
/// or physical addresses of tzmem buffers). Arguments past the ones given are zero, as in the C
/// initialiser; x2..x5 always carry args[0..3] and, with more than four, args[3..9] go in the ext-args
/// buffer.
/// </summary>
public sealed class ScmDesc
{
    private readonly ulong[] _args = new ulong[ArgInfo.MaxArgs];

    public ScmDesc(byte service, byte command, ArgInfo argInfo, params ReadOnlySpan<ulong> args)
    {
        if (args.Length > ArgInfo.MaxArgs)
            throw new ArgumentOutOfRangeException(nameof(args), $"an SCM call takes at most {ArgInfo.MaxArgs} arguments, not {args.Length}");
        Service = service;
        Command = command;
        ArgInfo = argInfo;
        args.CopyTo(_args);
    }

    public byte Service { get; }

    public byte Command { get; }

    public ArgInfo ArgInfo { get; }

    /// <summary>ARM_SMCCC_OWNER_SIP for every SCM call here.</summary>
    public SmcOwner Owner { get; init; } = SmcOwner.Sip;

    public ReadOnlySpan<ulong> Args => _args;

    public override string ToString() => ScmCatalog.CallName(Service, Command);
}

/// <summary>struct qcom_scm_res: result[0..2] from x1..x3 (copied whatever the status, as Linux does).</summary>
public readonly record struct ScmResponse(ulong Result0, ulong Result1, ulong Result2);

/// <summary>One entry of the destination list of hyp-assign: a VMID and its <see cref="ScmPermissions"/> bits.</summary>
public readonly record struct ScmVmPermission(Vmid Vmid, byte Permissions);
