using Qtz.Soc.Smc;
using Qtz.Soc;

namespace Qtz.Kernel.ScmClient;

/// <summary>The two non-PIL SCM calls the other PAS users make (spec/scm-pas.md §2.1, spec/socs.md §5.1-5.2).</summary>
public sealed partial class Scm
{
    /// <summary>BOOT 0x0A, the one SET_REMOTE_STATE command.</summary>
    public const byte CmdSetRemoteState = 0x0A;

    /// <summary>MP 0x08, VIDEO_VAR.</summary>
    public const byte CmdVideoVar = 0x08;

    /// <summary>qcom_scm_set_remote_state(state, id): arginfo 2 values; <c>ret ?: result[0]</c>.</summary>
    public int SetRemoteState(uint state, uint id)
    {
        var ret = Call(new ScmDesc(ScmCatalog.Boot, CmdSetRemoteState, ArgInfo.Values(2), state, id), out var res);
        return ret != 0 ? ret : (int)res.Result0;
    }

    /// <summary>qcom_scm_mem_protect_video_var(cp_start, cp_size, cp_nonpixel_start, cp_nonpixel_size): 4 values; <c>ret ?: result[0]</c>.</summary>
    public int MemProtectVideoVar(uint cpStart, uint cpSize, uint cpNonPixelStart, uint cpNonPixelSize)
    {
        var ret = Call(new ScmDesc(ScmCatalog.Mp, CmdVideoVar, ArgInfo.Values(4), cpStart, cpSize, cpNonPixelStart, cpNonPixelSize), out var res);
        return ret != 0 ? ret : (int)res.Result0;
    }
}
