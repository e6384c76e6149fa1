using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Qtz.Benchmarks.Iommu;

/// <summary>
/// A results column with the page-table descriptor writes one map made (leaf, table and replaced
/// entries), read from <see cref="Qtz.Kernel.Iommu.ArmLpaeS1PageTable.DescriptorWrites"/>. Needs
/// in-process runs (--inProcess) to see the counts.
/// </summary>
public sealed class DescriptorWritesColumn : IColumn
{
    private static readonly ConcurrentDictionary<string, long> Writes = new();

    public string Id => nameof(DescriptorWritesColumn);

    public string ColumnName => "MapDescWrites";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Descriptors written by one iommu_map of the region";

    internal static void Record(ulong size, string layout, long writes) =>
        Writes[Key(size.ToString(CultureInfo.InvariantCulture), layout)] = writes;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var parameters = benchmarkCase.Parameters;
        var key = Key(Convert.ToString(parameters["Size"], CultureInfo.InvariantCulture) ?? "", parameters["Layout"]?.ToString() ?? "");
        return Writes.TryGetValue(key, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    private static string Key(string size, string layout) => $"{size}/{layout}";
}

/// <summary>Adds <see cref="DescriptorWritesColumn"/> to the default configuration.</summary>
public sealed class DescriptorWritesConfig : ManualConfig
{
    public DescriptorWritesConfig() => AddColumn(new DescriptorWritesColumn());
}
