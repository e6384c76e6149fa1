using Qtz.Soc;
using Xunit;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.SystemMmu;

namespace Qtz.Soc.Tests.Smmu;

public class StreamMappingsTests
{
    private const ushort Sid = 0x1800;
    private readonly SmmuRig _rig = new();

    [Fact]
    public void The_tables_in_memory_are_listed_leaf_by_leaf_with_contiguous_leaves_merged()
    {
        _rig.Route(Sid, 0, cb: 3);
        _rig.MapLeaf(0x1000, 0x8123_4000, 3);
        _rig.MapLeaf(0x2000, 0x8123_5000, 3);
        _rig.MapLeaf(0x0040_0000, 0x8060_0000, 2, SmmuRig.UserRw | SmmuRig.ApRdonly);
        var view = _rig.Smmu.MappingsOf(Sid);
        Assert.Equal((SmmuStreamRouting.Translate, 3, (string?)null), (view.Routing, view.ContextBank, view.Problem));
        Assert.Equal(
            [
                new SmmuMapping(new Iova(0x1000), new PhysAddr(0x8123_4000), 0x2000, AccessPermissions.All),
                new SmmuMapping(new Iova(0x0040_0000), new PhysAddr(0x8060_0000), 0x20_0000, AccessPermissions.ReadExecute),
            ],
            view.Mappings);
    }

    [Fact]
    public void Descriptors_a_walk_would_refuse_are_not_mappings()
    {
        _rig.Route(Sid, 0, cb: 0);
        _rig.MapLeaf(0x1000, 0x8123_4000, 3, attributes: SmmuRig.NG | SmmuRig.ApUnpriv); // no access flag
        _rig.MapLeaf(0x3000, 0x8123_6000, 3);
        _rig.WriteLeafRaw(0x2000, 3, 0x8123_5000 | SmmuRig.UserRw | 1); // a block type at level 3 is invalid
        Assert.Equal([new SmmuMapping(new Iova(0x3000), new PhysAddr(0x8123_6000), 0x1000, AccessPermissions.All)], _rig.Smmu.MappingsOf(Sid).Mappings);
    }

    [Fact]
    public void A_stream_no_stream_match_entry_claims_is_reported_as_bypassed()
    {
        Assert.Equal(SmmuStreamRouting.Bypass, _rig.Smmu.MappingsOf(Sid).Routing);
    }

    [Fact]
    public void Listing_latches_no_fault_and_fills_no_tlb_entry()
    {
        _rig.Route(Sid, 0, cb: 2);
        _rig.MapLeaf(0x1000, 0x8123_4000, 3);
        _ = _rig.Smmu.MappingsOf(Sid);
        Assert.Empty(_rig.Faults);
        Assert.Equal(0, _rig.Smmu.TlbEntries(2));
    }
}
