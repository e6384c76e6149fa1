using Qtz.Soc;
using Xunit;
using Qtz.Secure.Scm;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;
using Qtz.Soc.Time;

namespace Qtz.Secure.Tests.Scm;

public sealed partial class ScmServiceTableTests
{
    [ScmService(0x50)]
    private sealed partial class Tagged
    {
        [ScmCommand(1)]
        public ScmReply One(ScmRequest request) => ScmReply.Ok(1);

        [ScmCommand(2)]
        private static ScmReply Two(ScmRequest request) => ScmReply.Ok(2);
    }

    [ScmService(0x50)]
    private sealed partial class Clash
    {
        [ScmCommand(2)]
        public ScmReply AlsoTwo(ScmRequest request) => ScmReply.Ok();
    }

    [ScmService(0x51)]
    private sealed partial class WrongShape
    {
        [ScmCommand(1)]
        public int NotAHandler(ScmRequest request) => 0;
    }

    private sealed class Untagged
    {
        public static ScmReply Handler(ScmRequest request) => ScmReply.Ok();
    }

    [Fact]
    public void Tagged_methods_are_registered_by_service_and_command()
    {
        var table = new ScmServiceTable.Builder().Add(new Tagged()).Build();
        Assert.Equal([((byte)0x50, (byte)1), ((byte)0x50, (byte)2)], table.Calls);
    }

    [Fact]
    public void A_pair_claimed_twice_is_refused_when_building()
    {
        var error = Assert.Throws<ArgumentException>(() => new ScmServiceTable.Builder().Add(new Tagged()).Add(new Clash()));
        Assert.Contains("SVC_0x50.0x02 is registered twice", error.Message);
    }

    [Fact]
    public void A_method_of_the_wrong_shape_is_refused() =>
        Assert.Throws<ArgumentException>(() => new ScmServiceTable.Builder().Add(new WrongShape()));

    [Fact]
    public void A_class_without_a_service_id_is_refused() =>
        Assert.Throws<ArgumentException>(() => new ScmServiceTable.Builder().Add(new Untagged()));

    [Fact]
    public void Single_handlers_can_be_registered_without_attributes()
    {
        var table = new ScmServiceTable.Builder().Add(0x60, 0x07, Untagged.Handler).Build();
        Assert.True(table.Contains(0x60, 0x07));
    }

    [Fact]
    public void IS_CALL_AVAIL_cannot_be_registered_by_a_service()
    {
        var bus = new SystemBus(new VirtualClock());
        var table = new ScmServiceTable.Builder().Add(ScmCatalog.Info, ScmCatalog.IsCallAvailable, Untagged.Handler).Build();
        Assert.Throws<ArgumentException>(() => new ScmDispatcher(new SecureWorld(bus), table));
    }
}
