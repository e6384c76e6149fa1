using Qtz.Linux.Run;

namespace Qtz.Linux.Guest;

/// <summary>
/// The board extensions every <c>qtz linux run</c> and suite boot gets (the remote processors, say):
/// one factory per part, given the run's options, returning null when the run does not need it. A new
/// part is one line here.
/// </summary>
public static class LinuxGuestExtensions
{
    public static IReadOnlyList<Func<GuestRunOptions, ILinuxGuestExtension?>> Factories { get; } =
    [
        Remoteproc.GuestRemoteprocs.Default,
    ];

    /// <summary>The options with the extensions the factories make added after any already there.</summary>
    public static GuestRunOptions WithDefaults(GuestRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var made = Factories.Select(f => f(options)).OfType<ILinuxGuestExtension>().ToList();
        return made.Count == 0 ? options : options with { Extensions = [.. options.Extensions, .. made] };
    }
}
