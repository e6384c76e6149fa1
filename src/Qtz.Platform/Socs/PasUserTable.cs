using Qtz.Kernel.Peripherals;

namespace Qtz.Platform.Socs;

/// <summary>
/// The per-platform data of the PAS users that are not PAS remoteprocs (spec/socs.md §5): the video drivers'
/// platform tables by compatible (default firmware, content-protection configs for MP VIDEO_VAR), the Adreno
/// catalogue's legacy zap-shader names, and the WCNSS and IPA compatibles. Facts from Linux's venus core.c,
/// iris platform files, adreno catalogue and qcom_wcnss.c; values no source pass re-read are marked UNCONFIRMED.
/// </summary>
public static class PasUserTable
{
    private static readonly VideoContentProtection Cp70800000 = new(0, 0x7080_0000, 0x0100_0000, 0x2480_0000);
    private static readonly VideoContentProtection Cp25800000 = new(0, 0x2580_0000, 0x0100_0000, 0x2480_0000);

    /// <summary>venus_dt_match / iris_dt_match: platform by compatible.</summary>
    public static readonly IReadOnlyDictionary<string, VideoPlatform> Video = new Dictionary<string, VideoPlatform>(StringComparer.Ordinal)
    {
        ["qcom,msm8916-venus"] = new(VideoDriver.Venus, "qcom/venus-1.8/venus.mbn"),
        ["qcom,msm8996-venus"] = new(VideoDriver.Venus, "qcom/venus-4.2/venus.mbn"),
        ["qcom,msm8998-venus"] = new(VideoDriver.Venus, "qcom/venus-4.4/venus.mbn"),
        ["qcom,sdm660-venus"] = new(VideoDriver.Venus, "qcom/venus-4.4/venus.mbn") { ContentProtection = [new(0, 0x7900_0000, 0x0100_0000, 0x2800_0000)] },
        ["qcom,sdm845-venus"] = new(VideoDriver.Venus, "qcom/venus-5.2/venus.mbn"),
        ["qcom,sdm845-venus-v2"] = new(VideoDriver.Venus, "qcom/venus-5.2/venus.mbn") { ContentProtection = [Cp70800000] },
        ["qcom,sc7180-venus"] = new(VideoDriver.Venus, "qcom/venus-5.4/venus.mbn") { ContentProtection = [Cp70800000] },
        ["qcom,qcm2290-venus"] = new(VideoDriver.Venus, "qcom/venus-6.0/venus.mbn") { ContentProtection = [Cp70800000] },
        ["qcom,sc7280-venus"] = new(VideoDriver.Venus, "qcom/vpu-2.0/venus.mbn") { ContentProtection = [Cp25800000] },
        ["qcom,sm8250-venus"] = new(VideoDriver.Venus, "qcom/vpu-1.0/venus.mbn"),
        // iris: firmware names and CP values as in its sm8550 platform data; sm8650's copy is UNCONFIRMED.
        ["qcom,sm8550-iris"] = new(VideoDriver.Iris, "qcom/vpu/vpu30_p4.mbn") { ContentProtection = [Cp25800000] },
        ["qcom,sm8650-iris"] = new(VideoDriver.Iris, "qcom/vpu/vpu33_p4.mbn") { ContentProtection = [Cp25800000] },
    };

    /// <summary>qcom_wcnss's match table (riva, pronto v1/v2/v3).</summary>
    public static readonly IReadOnlySet<string> Wcnss = new HashSet<string>(StringComparer.Ordinal)
    {
        "qcom,riva-pil", "qcom,pronto-v1-pil", "qcom,pronto-v2-pil", "qcom,pronto-v3-pil",
    };

    /// <summary>
    /// Legacy zap names of the Adreno catalogue by GPU model (tried as qcom/NAME then NAME when the zap node has
    /// no firmware-name). a530 is confirmed by the real split image; the others are UNCONFIRMED, and GPUs named by
    /// chip id (a7xx and later) have none: their zap node must carry firmware-name.
    /// </summary>
    private static readonly Dictionary<string, string> LegacyZap = new(StringComparer.Ordinal)
    {
        ["530"] = "a530_zap.mdt",
        ["540"] = "a540_zap.mdt",
        ["630"] = "a630_zap.mdt",
        ["635"] = "a660_zap.mbn",
        ["640"] = "a640_zap.mdt",
        ["650"] = "a650_zap.mdt",
        ["660"] = "a660_zap.mdt",
    };

    /// <summary>The Adreno GPU a node's compatibles name ("qcom,adreno-650.2" or a chip id "qcom,adreno-43050a01"); null: not a GPU node.</summary>
    public static AdrenoZapInfo? Adreno(IReadOnlyList<string> compatibles)
    {
        ArgumentNullException.ThrowIfNull(compatibles);
        if (!compatibles.Contains("qcom,adreno")) return null;
        foreach (var c in compatibles)
        {
            if (!c.StartsWith("qcom,adreno-", StringComparison.Ordinal) || c.StartsWith("qcom,adreno-gmu", StringComparison.Ordinal) || c == "qcom,adreno-smmu") continue;
            var id = c["qcom,adreno-".Length..];
            if (id.Length == 8 && id.All(char.IsAsciiHexDigit))
                return new AdrenoZapInfo($"Adreno chip 0x{id}", null, 7);
            var model = id.Split('.')[0];
            if (model.Length == 3 && model.All(char.IsAsciiDigit))
                return new AdrenoZapInfo($"Adreno {model}", LegacyZap.GetValueOrDefault(model), model[0] - '0');
        }

        return new AdrenoZapInfo("Adreno (model not named)", null, 0);
    }

    /// <summary>ipa_match: "qcom,SOC-ipa".</summary>
    public static bool IsIpa(IReadOnlyList<string> compatibles)
    {
        ArgumentNullException.ThrowIfNull(compatibles);
        return compatibles.Any(c => c.StartsWith("qcom,", StringComparison.Ordinal) && c.EndsWith("-ipa", StringComparison.Ordinal)
            && c.Length > "qcom,-ipa".Length && c["qcom,".Length..^"-ipa".Length].All(char.IsAsciiLetterOrDigit));
    }
}
