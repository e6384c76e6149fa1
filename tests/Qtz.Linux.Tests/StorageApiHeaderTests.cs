using Xunit;
using Qtz.Linux.Setup;

namespace Qtz.Linux.Tests;

public sealed class StorageApiHeaderTests
{
    [Theory]
    [InlineData("QCOM_SCM_STORAGE_SPINOR = 1,")]
    [InlineData("QCOM_SCM_STORAGE_READ = 1,")]
    [InlineData("QCOM_SCM_STORAGE_WRITE = 2,")]
    [InlineData("QCOM_SCM_STORAGE_ERASE = 3,")]
    [InlineData("QCOM_SCM_STORAGE_GET_INFO = 4,")]
    [InlineData("#define STORAGE_RESULT_READONLY 9")]
    [InlineData("#define QCOM_SCM_SVC_STORAGE 0x1a")]
    [InlineData("#define QCOM_SCM_STORAGE_CMD 0x1")]
    [InlineData("sizeof(struct qcom_scm_storage_info) == 105")]
    [InlineData("sizeof(struct qcom_scm_storage_cmd) == 40")]
    [InlineData("sizeof(struct qcom_scm_storage_cmd_details) == 32")]
    public void The_generated_interface_header_carries_the_wire_values_of_the_spec(string line) =>
        Assert.Contains(line, StorageApiHeader.Text(), StringComparison.Ordinal);
}
