using System.Text.Json;
using Qtz.TestSupport;
using Xunit;
using Qtz.Kernel.ScmClient;

namespace Qtz.Acceptance.Tests.Scm;

/// <summary><c>qtz scm decode</c> through the real binary.</summary>
public sealed class ScmDecodeCommandTests
{
    [Fact]
    public void Decodes_a_function_id_and_arginfo_into_one_line()
    {
        var run = QtzBinary.Run("scm", "decode", "0x42000201", "0x82");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("PIL.PAS_INIT_IMAGE std smc64 owner=SIP args: val, rw", run.StdOut.Trim());
    }

    [Fact]
    public void Without_arginfo_the_documented_argument_types_are_shown()
    {
        var run = QtzBinary.Run("scm", "decode", "0xC2000601");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("INFO.IS_CALL_AVAIL fast smc64 owner=SIP args: val (documented)", run.StdOut.Trim());
    }

    [Fact]
    public void Decimal_input_and_SMC32_ids_decode()
    {
        var run = QtzBinary.Run("scm", "decode", "33557534", "4");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("MP.SHM_BRIDGE_CREATE std smc32 owner=SIP args: val, val, val, val", run.StdOut.Trim());
    }

    [Fact]
    public void Json_output_carries_every_decoded_field()
    {
        var run = QtzBinary.Run("scm", "decode", "0x42000C16", "0x1117", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.StdOut);
        var root = json.RootElement;
        Assert.Equal("MP.ASSIGN", root.GetProperty("name").GetString());
        Assert.Equal("MP", root.GetProperty("service").GetString());
        Assert.Equal(0x16, root.GetProperty("commandId").GetInt32());
        Assert.Equal("std", root.GetProperty("callType").GetString());
        Assert.Equal("smc64", root.GetProperty("convention").GetString());
        Assert.Equal("SIP", root.GetProperty("owner").GetString());
        Assert.Equal("0x1117", root.GetProperty("arginfo").GetString());
        Assert.Equal(["ro", "val", "ro", "val", "ro", "val", "val"], root.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void Unknown_calls_are_spelled_out_not_rejected()
    {
        var run = QtzBinary.Run("scm", "decode", "0x42004001");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("SVC_0x40.0x01 std smc64 owner=SIP", run.StdOut.Trim());
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("0x1_0000_0000")]
    [InlineData("0x100000000")]
    [InlineData("0x42000201", "0xF")]
    [InlineData("0x42000201", "0x1000000")]
    [InlineData("0x42000201", "rw")]
    public void Bad_input_is_exit_2_with_one_line_on_stderr(params string[] args)
    {
        var run = QtzBinary.Run(["scm", "decode", .. args]);
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.StdOut);
        var line = Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("qtz: ", line);
    }

    [Fact]
    public void Missing_FID_is_a_usage_error()
    {
        var run = QtzBinary.Run("scm", "decode");
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Help_lists_the_decode_command_and_the_exit_codes()
    {
        var run = QtzBinary.Run("--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("scm", run.StdOut);
        Assert.Contains("Exit codes", run.StdOut);
        Assert.Equal(0, QtzBinary.Run("--version").ExitCode);
    }
}
