using Qtz.Platform.Socs;
using Xunit;

namespace Qtz.Platform.Tests.Socs;

public sealed class SocCatalogTests
{
    [Fact]
    public void Every_row_of_pas_table_csv_resolves_to_its_pas_id()
    {
        if (!File.Exists(SocTestData.PasTableCsv)) return; // the spec lives beside the checkout; the embedded table is checked below
        var lines = File.ReadAllLines(SocTestData.PasTableCsv).Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(97, lines.Count);
        foreach (var line in lines)
        {
            var cells = SplitCsv(line);
            var compatible = cells[0];
            var via = cells[1];
            var match = SocCatalog.Linux.ResolveWithFallback(compatible);
            Assert.True(match is not null, $"{compatible} does not resolve");
            Assert.Equal(via.Length > 0 ? via : compatible, match!.Data.Compatible);
            Assert.Equal(ParsePasId(cells[4]), match.Data.PasId);
        }
    }

    [Fact]
    public void The_table_holds_86_compatibles_and_11_fallbacks()
    {
        Assert.Equal(86, SocCatalog.Linux.Compatibles.Count());
        Assert.Equal(11, SocCatalog.Linux.Fallbacks.Count);
    }

    [Fact]
    public void A_node_listing_a_specific_compatible_then_the_drivers_resolves_as_Linux_does()
    {
        var match = SocCatalog.Linux.Resolve(["qcom,qcm2290-adsp-pas", "qcom,sm6115-adsp-pas"]);
        Assert.NotNull(match);
        Assert.Equal("qcom,sm6115-adsp-pas", match!.Data.Compatible);
        Assert.Equal("sm6115", match.Soc.Name);
        Assert.Equal(1u, match.Data.PasId);
    }

    [Fact]
    public void A_fallback_only_compatible_alone_is_not_bound_but_names_its_partner()
    {
        Assert.Null(SocCatalog.Linux.Resolve("qcom,qcs8300-adsp-pas"));
        Assert.Equal("qcom,sa8775p-adsp-pas", SocCatalog.Linux.Fallbacks["qcom,qcs8300-adsp-pas"]);
    }

    [Fact]
    public void Per_field_values_follow_the_spec_for_the_sm8550_modem()
    {
        var mpss = SocCatalog.Linux.Resolve("qcom,sm8550-mpss-pas")!.Data;
        Assert.Equal(0x26u, mpss.DtbPasId);
        Assert.True(mpss.DecryptShutdown);
        Assert.False(mpss.AutoBoot);
        Assert.Equal(new Kernel.Remoteproc.PasRegionAssign(2, 1, false, 0x0F), mpss.RegionAssign);
        var x1e = SocCatalog.Linux.Resolve("qcom,x1e80100-adsp-pas")!.Data;
        Assert.Equal((0x1fu, 0x29u), (x1e.LitePasId!.Value, x1e.LiteDtbPasId!.Value));
        Assert.True(SocCatalog.Linux.Resolve("qcom,glymur-soccp-pas")!.Data.NeedsTzMem);
        Assert.True(SocCatalog.Linux.Resolve("qcom,sm8650-cdsp-pas")!.Data.RegionAssign!.Value.Shared);
    }

    /// <summary>One CSV line's cells (quoted cells may hold commas).</summary>
    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }

        cells.Add(cell.ToString());
        return cells;
    }

    private static uint ParsePasId(string cell)
    {
        var text = cell.Split(' ')[0];
        return text.StartsWith("0x", StringComparison.Ordinal) ? Convert.ToUInt32(text[2..], 16) : uint.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
