using Xunit;
using Qtz.Linux.Setup;

namespace Qtz.Linux.Tests;

public class SeedDriverTests
{
    private const string Patch = """
        Subject: [PATCH v2 2/2] mtd: devices: Add SCM storage driver

        diff --git a/drivers/mtd/devices/Kconfig b/drivers/mtd/devices/Kconfig
        --- a/drivers/mtd/devices/Kconfig
        +++ b/drivers/mtd/devices/Kconfig
        @@ -1,1 +1,2 @@
         config X
        +config Y
        diff --git a/drivers/mtd/devices/qcom_scm_storage.c b/drivers/mtd/devices/qcom_scm_storage.c
        new file mode 100644
        index 0000000..1111111
        --- /dev/null
        +++ b/drivers/mtd/devices/qcom_scm_storage.c
        @@ -0,0 +1,3 @@
        +// SPDX-License-Identifier: GPL-2.0
        +
        +int x;
        --
        2.43.0
        """;

    [Fact]
    public void The_new_file_hunk_is_extracted_without_its_plus_signs()
    {
        Assert.Equal("// SPDX-License-Identifier: GPL-2.0\n\nint x;\n", SeedDriver.Extract(Patch));
    }

    [Fact]
    public void CRLF_line_ends_are_accepted()
    {
        Assert.Equal("// SPDX-License-Identifier: GPL-2.0\n\nint x;\n", SeedDriver.Extract(Patch.Replace("\n", "\r\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_message_without_the_driver_is_refused_naming_the_file()
    {
        var e = Assert.Throws<InvalidDataException>(() => SeedDriver.Extract("Subject: nothing\n", "msg.txt"));
        Assert.Contains("msg.txt: no diff for drivers/mtd/devices/qcom_scm_storage.c", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hunk_shorter_than_its_header_says_is_refused()
    {
        var cut = Patch.Replace("+int x;", " int x;", StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SeedDriver.Extract(cut));
    }

    [Fact]
    public void The_real_seed_patch_yields_the_platform_driver_when_it_is_present()
    {
        var path = SeedDriver.DefaultPatchPath();
        if (path is null) return; // the seed is test data outside the repository; the synthetic cases above cover the parser
        var source = SeedDriver.Extract(File.ReadAllText(path), path);
        Assert.Contains("qcom_scm_storage_send_cmd", source, StringComparison.Ordinal);
        Assert.Contains("module_platform_driver", source, StringComparison.Ordinal);
    }
}
