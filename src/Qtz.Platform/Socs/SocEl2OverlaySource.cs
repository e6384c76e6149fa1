using System.Globalization;
using System.Text;

namespace Qtz.Platform.Socs;

/// <summary>
/// The .dtso-like source of an EL2 overlay qtz builds from SoC data (<see cref="SocEl2Overlays"/>), for
/// `qtz dt shipped NAME`: the <c>iommus</c> per remoteproc (mainline's labels, remoteproc_&lt;name&gt;) and
/// what it disables. qtz applies the row to the tree it boots (matched by node, not by label), so this
/// text is a reading of the data, not a file it compiles.
/// </summary>
public static class SocEl2OverlaySource
{
    /// <summary>The row named <paramref name="name"/>, or null.</summary>
    public static El2OverlayRow? Find(string name) => SocEl2Overlays.Rows.FirstOrDefault(r => r.Name == name);

    public static string Render(El2OverlayRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"// {row.Name}: built by qtz from SoC data ({row.Status}); applied in --mode kvm when no remoteproc has iommus");
        text.AppendLine(CultureInfo.InvariantCulture, $"// SoCs: {string.Join(", ", row.Socs)}");
        text.AppendLine("/dts-v1/;");
        text.AppendLine("/plugin/;");
        var streams = SocStreams.FromOverlays.Where(s => row.Socs.Contains(s.Soc, StringComparer.Ordinal)).SelectMany(s => s.Streams).ToList();
        if (!row.CoversRemoteprocs || streams.Count == 0)
            text.AppendLine().AppendLine("// no remoteproc iommus: Linux at EL2 cannot map the DSP streams with this overlay");
        foreach (var s in row.CoversRemoteprocs ? streams : [])
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"&remoteproc_{s.Processor} {{");
            text.AppendLine(CultureInfo.InvariantCulture, $"\tiommus = <&apps_smmu 0x{s.StreamId:x4} 0x{s.StreamMask:x}>;");
            text.AppendLine("};");
        }

        foreach (var d in row.Disables)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"// every enabled {Describe(d)}:");
            text.AppendLine("//\tstatus = \"disabled\";");
        }

        return text.ToString();
    }

    private static string Describe(El2Disable d) => d switch
    {
        El2Disable.ZapShader => "GPU zap-shader node",
        El2Disable.Iris => "Iris video node (compatible \"*-iris\")",
        El2Disable.Venus => "Venus video node (compatible \"*-venus\")",
        El2Disable.Modem => "modem PAS node (compatible \"*-mpss-pas\")",
        _ => d.ToString(),
    };
}
