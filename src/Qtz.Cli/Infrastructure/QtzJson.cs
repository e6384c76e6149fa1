using System.Text.Json.Serialization;
using Qtz.Cli.Commands;
using Qtz.DeviceTree;
using Qtz.DeviceTree.Bindings;

namespace Qtz.Cli.Infrastructure;

/// <summary>
/// Every shape qtz prints with <c>--json</c>, serialised by generated code (no reflection, so the native
/// build stays trim-safe). A new JSON shape is one more <see cref="JsonSerializableAttribute"/> line here.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CliErrorView))]
[JsonSerializable(typeof(BootView.View))]
[JsonSerializable(typeof(BootView.PeripheralRow))]
[JsonSerializable(typeof(InfoView))]
[JsonSerializable(typeof(VerifyView))]
[JsonSerializable(typeof(VerifyManyView))]
[JsonSerializable(typeof(LinuxSuiteView))]
[JsonSerializable(typeof(LinuxBenchView))]
[JsonSerializable(typeof(ScmDecoding))]
[JsonSerializable(typeof(DtJson.TreeJson[]))]
[JsonSerializable(typeof(DtJson.PropertyJson))]
[JsonSerializable(typeof(DtJson.NodeDetailJson))]
[JsonSerializable(typeof(DtJson.CheckJson))]
[JsonSerializable(typeof(MtdInfoJson))]
[JsonSerializable(typeof(FuzzView.ReportJson))]
[JsonSerializable(typeof(FuzzView.ReplayJson))]
[JsonSerializable(typeof(BenchView))]
// values typed object in the shapes above (a property's value is a string list, cells or bytes)
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(BindingFinding))]
internal sealed partial class QtzJson : JsonSerializerContext;

/// <summary>A failed command under <c>--json</c>: the same line as stderr, as an object on stdout.</summary>
internal sealed record CliErrorView(string Error, int ExitCode, string Kind, string? Command);
