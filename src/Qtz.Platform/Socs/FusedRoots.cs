using Qtz.Platform.FirmwareLoader;

namespace Qtz.Platform.Socs;

/// <summary>
/// The roots the board's fuses trust by default (documented in the README): qtz's embedded test root (added
/// by the board), and the public Qualcomm test roots linux-firmware's DSP images are signed with, so those
/// boot as on an unfused development board. Production roots (a laptop vendor's) are trusted only through
/// <c>--trust-root</c>. Hashes computed with <c>qtz fw verify --json FILE</c> (rootSha384).
/// </summary>
public static class FusedRoots
{
    public static readonly (string Name, string RootSha384)[] PublicTestRoots =
    [
        // "SECTOOLS SECP384R1 CURVE TEST ROOT": qcom/sa8775p/{adsp,cdsp0,cdsp1,gpdsp0,gpdsp1}.mbn.
        ("SecTools P-384 test root", "f953644308944bb811ca0ec2a736a17fe38509941ce7f55860130857813c8378e93359b70dfd874c270dca08a53bd99f"),
        // "Generated Test Root CA" (RSA e=65537): qcom/sm8250/{adsp,cdsp}.mbn, qcom/sdm845/{adsp,cdsp}.mbn.
        ("Generated Test Root CA (RSA)", "bdaf51b59ba21d8a243792c0e183e88bddd369ccca58bc792a3e4c22eff329e8a8c72d449559cd5f09ebfa5c7bf398c0"),
    ];

    public static IEnumerable<byte[]> Defaults => PublicTestRoots.Select(r => Convert.FromHexString(r.RootSha384));

    /// <summary>What a board's fuses trust: qtz's embedded test root, <see cref="Defaults"/>, then the user's --trust-root hashes.</summary>
    public static IReadOnlyList<byte[]> Trusted(IEnumerable<byte[]> extra) =>
        [DefaultFirmware.TestRootSha384(), .. Defaults, .. extra];
}
