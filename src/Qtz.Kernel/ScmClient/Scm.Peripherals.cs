using Qtz.Soc.Smc;

namespace Qtz.Kernel.ScmClient;

/// <summary>The non-PIL SCM call a PAS user makes besides SET_REMOTE_STATE (spec/scm-pas.md §2.1, spec/socs.md §5.1).</summary>
public sealed partial class Scm
{
    /// <summary>qcom_scm_mem_protect_video_var(cp_start, cp_size, cp_nonpixel_start, cp_nonpixel_size): 4 values; <c>ret ?: result[0]</c>.</summary>
    public int MemProtectVideoVar(uint cpStart, uint cpSize, uint cpNonPixelStart, uint cpNonPixelSize)
    {
        var ret = Call(new ScmDesc(ScmCatalog.Mp, ScmCatalog.MpVideoVar, ArgInfo.Values(4), cpStart, cpSize, cpNonPixelStart, cpNonPixelSize), out var res);
        return ret != 0 ? ret : (int)res.Result0;
    }
}
