using Qtz.Linux.Remoteproc;
using Xunit;

namespace Qtz.Linux.Tests.Remoteproc;

/// <summary>
/// A guest boot that needs the real SA8775p images too: skips with the fixing command when QEMU or
/// <c>qtz linux setup</c> is missing, or names QTZ_TESTDATA when the firmware is absent.
/// </summary>
public sealed class RequiresGuestAndFirmwareFactAttribute : FactAttribute
{
    public RequiresGuestAndFirmwareFactAttribute()
    {
        var guest = new RequiresLinuxGuestFactAttribute();
        if (guest.Skip is { } why) Skip = why;
        else if (RealFirmware.Find(null, PasSuite.RequiredFiles) is null)
            Skip = "the real SA8775p firmware (qcom/sa8775p/*.mbn) was not found: set QTZ_TESTDATA (e.g. ../shared/testdata) after qtz linux setup";
    }
}

/// <summary>The real images without a guest (in-process checks of the PAS suite's expectations).</summary>
public sealed class RequiresSa8775pFirmwareFactAttribute : FactAttribute
{
    public RequiresSa8775pFirmwareFactAttribute()
    {
        if (RealFirmware.Find(null, PasSuite.RequiredFiles) is null)
            Skip = "the real SA8775p firmware (qcom/sa8775p/*.mbn) was not found: set QTZ_TESTDATA (e.g. ../shared/testdata)";
    }
}

/// <summary>The EL2 suite: also needs Debian sid's 7.2 kernel, which setup fetches only when asked.</summary>
public sealed class RequiresEl2KernelFactAttribute : FactAttribute
{
    public RequiresEl2KernelFactAttribute()
    {
        Skip = new RequiresGuestAndFirmwareFactAttribute().Skip;
        if (Skip is null && !new Qtz.Linux.Setup.El2KernelSetup(Qtz.Linux.Setup.LinuxCache.Default(), _ => { }).IsReady)
            Skip = "Debian sid's 7.2 kernel is not set up; run: qtz linux setup --el2-kernel";
    }
}
