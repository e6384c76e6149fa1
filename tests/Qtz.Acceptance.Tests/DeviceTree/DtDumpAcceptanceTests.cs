using System.Text;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Acceptance.Tests.DeviceTree;

public class DtDumpAcceptanceTests
{
    [RequiresToolFact("dtc")]
    public void Dump_of_every_real_dtb_in_one_process_equals_a_shell_loop_of_dtc()
    {
        var expected = new StringBuilder();
        foreach (var dtb in DtFixtures.AllDtbs)
        {
            var dtc = ExternalTool.Run("dtc", ["-q", "-I", "dtb", "-O", "dts", dtb]);
            Assert.Equal(0, dtc.ExitCode);
            expected.Append(dtc.StdOut);
        }

        var qtz = QtzBinary.Run(["dt", "dump", .. DtFixtures.AllDtbs]);
        Assert.Equal(0, qtz.ExitCode);
        Assert.True(expected.ToString() == qtz.StdOut, "qtz dt dump differs from dtc -I dtb -O dts");
    }

    [Fact]
    public void Dump_equals_the_committed_dtc_golden_files()
    {
        string[] names = ["ipq9574-rdp433", "msm8916-mtp", "sa8775p-ride"];
        var qtz = QtzBinary.Run(["dt", "dump", .. names.Select(n => DtFixtures.Dtb(n + ".dtb"))]);
        Assert.Equal(0, qtz.ExitCode);
        var golden = string.Concat(names.Select(n => File.ReadAllText(Path.Combine(TestPaths.ProjectDtbDirectory, "golden", n + ".dts"))));
        Assert.True(golden == qtz.StdOut, "qtz dt dump differs from the golden dtc output");
    }

    [Fact]
    public void Dump_of_one_file_printed_on_the_calling_thread_equals_its_golden_file_and_a_bad_file_prints_nothing()
    {
        var qtz = QtzBinary.Run("dt", "dump", DtFixtures.Dtb("msm8916-mtp.dtb"));
        Assert.Equal(0, qtz.ExitCode);
        Assert.True(File.ReadAllText(Path.Combine(TestPaths.ProjectDtbDirectory, "golden", "msm8916-mtp.dts")) == qtz.StdOut,
            "qtz dt dump of one file differs from the golden dtc output");

        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("cut.dtb"), File.ReadAllBytes(DtFixtures.Ride)[..1000]);
        var bad = QtzBinary.Run("dt", "dump", dir.File("cut.dtb"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("", bad.StdOut);
    }

    [Fact]
    public void Dump_json_lists_every_node_with_typed_values()
    {
        var qtz = QtzBinary.Run("dt", "dump", "--json", DtFixtures.Ride);
        Assert.Equal(0, qtz.ExitCode);
        Assert.Contains("\"path\": \"/soc@0/remoteproc@30000000\"", qtz.StdOut);
        Assert.Contains("\"kind\": \"string\"", qtz.StdOut);
    }

    [Fact]
    public void Get_prints_a_property_as_dtc_would_and_json_decodes_the_node()
    {
        var text = QtzBinary.Run("dt", "get", DtFixtures.Ride, DtFixtures.Adsp, "reg");
        Assert.Equal(0, text.ExitCode);
        Assert.Equal("reg = <0x00 0x30000000 0x00 0x100>;\n", text.StdOut);

        var json = QtzBinary.Run("dt", "get", "--json", DtFixtures.Ride, DtFixtures.Adsp);
        Assert.Equal(0, json.ExitCode);
        Assert.Contains("\"address\": \"0x30000000\"", json.StdOut);
        Assert.Contains("/reserved-memory/pil-adsp@95c00000", json.StdOut);
    }
}
