using Qtz.Soc;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Scm;

/// <summary>
/// The (service, command) → handler map, built once and read-only afterwards (a plain int-keyed
/// dictionary: frozen or value-type-keyed collections cost tens of milliseconds of JIT at every start). Services register either as objects
/// whose methods carry <see cref="ScmCommandAttribute"/> (the partial class carrying <see cref="ScmServiceAttribute"/>; the
/// registration code is generated at compile time, so nothing here reads attributes at run time), or as single handlers.
/// A pair registered twice is a wiring bug and throws at build time.
/// </summary>
public sealed class ScmServiceTable
{
    private readonly Dictionary<int, ScmHandler> _handlers;

    private ScmServiceTable(Dictionary<int, ScmHandler> handlers) => _handlers = handlers;

    /// <summary>Every registered (service, command), in ascending order.</summary>
    public IReadOnlyList<(byte Service, byte Command)> Calls =>
        [.. _handlers.Keys.Order().Select(k => ((byte)(k >> 8), (byte)k))];

    public bool Contains(byte service, byte command) => _handlers.ContainsKey(Key(service, command));

    public bool TryGet(byte service, byte command, out ScmHandler handler) =>
        _handlers.TryGetValue(Key(service, command), out handler!);

    private static int Key(byte service, byte command) => (service << 8) | command;

    /// <summary>Collects handlers; <see cref="Build"/> freezes them.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<int, ScmHandler> _handlers = [];
        private readonly Dictionary<int, string> _origins = [];

        /// <summary>Registers every <see cref="ScmCommandAttribute"/> method of <paramref name="service"/>.</summary>
        public Builder Add(object service)
        {
            ArgumentNullException.ThrowIfNull(service);
            if (service is not IScmService registrable)
                throw new ArgumentException($"{service.GetType().Name} has no [ScmService(id)] attribute", nameof(service));
            registrable.RegisterCommands(this);
            return this;
        }

        /// <summary>Registers one handler for (<paramref name="service"/>, <paramref name="command"/>).</summary>
        public Builder Add(byte service, byte command, ScmHandler handler, string? origin = null)
        {
            ArgumentNullException.ThrowIfNull(handler);
            var key = Key(service, command);
            if (_origins.TryGetValue(key, out var existing))
                throw new ArgumentException($"{ScmCatalog.CallName(service, command)} is registered twice ({existing} and {origin ?? "a handler"})");
            _handlers[key] = handler;
            _origins[key] = origin ?? "a handler";
            return this;
        }

        public ScmServiceTable Build() => new(new Dictionary<int, ScmHandler>(_handlers));
    }
}
