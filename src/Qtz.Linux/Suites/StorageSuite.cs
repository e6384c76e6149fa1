namespace Qtz.Linux;

/// <summary>Placeholder: filled in below.</summary>
public sealed class StorageSuite : ILinuxSuite
{
    public string Name => "storage";

    public LinuxSuiteReport Run(LinuxSuiteContext context) => new(Name);
}
