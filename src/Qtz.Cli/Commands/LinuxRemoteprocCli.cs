using Qtz.Cli.Infrastructure;
using Qtz.Linux;
using Qtz.Linux.Remoteproc;
using Qtz.Linux.Run;
using Qtz.Secure.Hypervisor;

namespace Qtz.Cli.Commands;

/// <summary>The remote processors every <c>qtz linux run</c> serves, and its <c>--inject</c> faults.</summary>
internal static class LinuxRemoteprocCli
{
    public static GuestRemoteprocs Remoteprocs(GuestMode mode, IEnumerable<string> injections)
    {
        var parsed = new List<RprocInjection>();
        foreach (var text in injections)
        {
            try
            {
                parsed.Add(RprocInjection.Parse(text));
            }
            catch (FormatException e)
            {
                throw new CliUsageException("--inject: " + e.Message);
            }
        }

        var remoteprocs = new GuestRemoteprocs(new GuestRemoteprocOptions
        {
            Hypervisor = mode == GuestMode.Kvm ? GuestHypervisor.Kvm : GuestHypervisor.Qhee,
            Injections = parsed,
        });
        var names = BoardPas.Describe((Qtz.Platform.Boards.NamedBlob?)null).SelectMany(d => new[] { d.Name, d.Data.SysmonName }).ToHashSet(StringComparer.Ordinal);
        foreach (var i in parsed.Where(i => !names.Contains(i.Dsp)))
            throw new CliUsageException($"--inject '{i}': no remote processor '{i.Dsp}' on qtz's board (have {string.Join(", ", names.Order(StringComparer.Ordinal))})");
        remoteprocs.Traced += e =>
        {
            if (e.What.StartsWith("host injects", StringComparison.Ordinal) || e.What.StartsWith("injection ", StringComparison.Ordinal))
                Console.Error.WriteLine($"qtz: {e.Source}: {e.What} at {e.Time}");
        };
        return remoteprocs;
    }
}
