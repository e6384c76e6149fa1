using Qtz.Soc;
using Xunit;
using Qtz.Secure.HypAssign;
using Qtz.Soc.Addressing;
using Qtz.Soc.Bus;
using Qtz.Soc.Smc;

namespace Qtz.Secure.Tests.Scm;

public sealed class HypAssignServiceTests
{
    private const ulong Lists = 0x8030_0000;
    private const ulong Region = 0x8800_0000;

    private readonly SecureTestBench _tz = new();

    /// <summary>Lays out the three-part buffer as qcom_scm_assign_mem does and issues MP.ASSIGN.</summary>
    private SmcResult Assign(ulong address, ulong size, uint[] sources, (uint Vmid, uint Perm)[] dests)
    {
        var srcSize = (ulong)sources.Length * 4;
        var mapAt = Lists + ((srcSize + 63) & ~63UL);
        var destAt = mapAt + 64;
        _tz.WriteUInt32s(Lists, sources);
        _tz.WriteUInt64s(mapAt, address, size);
        var dest = dests.SelectMany(d => new uint[] { d.Vmid, d.Perm, 0, 0, 0, 0 }).ToArray();
        _tz.WriteUInt32s(destAt, dest);
        var ext = Lists + 0x1000;
        _tz.WriteUInt64s(ext, srcSize, destAt, (ulong)dests.Length * 24, 0, 0, 0, 0);
        return _tz.Std64(ScmCatalog.Mp, HypAssignService.AssignCommand, new ArgInfo(0x1117), mapAt, 16, Lists, ext);
    }

    private AccessPermissions PermissionsOf(Vmid vmid) =>
        _tz.Bus.Protection.Regions.Single(r => r.Range.Base.Value == Region).For(vmid);

    [Fact]
    public void Assigning_HLOS_memory_to_a_DSP_programs_the_protection_unit()
    {
        var r = Assign(Region, 0x10000, [3], [(0x0F, 0x6)]);
        Assert.Equal(new SmcResult(0), r);
        Assert.Equal(AccessPermissions.ReadWrite, PermissionsOf(Vmid.MssMsa));
        Assert.Equal(AccessPermissions.None, PermissionsOf(Vmid.Hlos));
        Assert.Equal(BusStatus.Denied, _tz.Bus.Read(BusMaster.LinuxEl1, new PhysAddr(Region), new byte[4]));
    }

    [Fact]
    public void Shared_assignment_gives_each_destination_its_own_permissions()
    {
        Assign(Region, 0x10000, [3], [(3, 0x4), (0x0F, 0x6)]);
        Assert.Equal(AccessPermissions.Read, PermissionsOf(Vmid.Hlos));
        Assert.Equal(AccessPermissions.ReadWrite, PermissionsOf(Vmid.MssMsa));
        Assert.Equal((1UL << 3) | (1UL << 0x0F), _tz.HypAssign.OwnersOf(new PhysRange(new PhysAddr(Region), 0x10000)));
    }

    [Fact]
    public void Source_list_must_name_the_current_owners()
    {
        Assert.Equal(ScmStatus.InvalidArgument, Assign(Region, 0x10000, [0x0F], [(0x0F, 0x6)]).Status);
        Assign(Region, 0x10000, [3], [(0x0F, 0x6)]);
        Assert.Equal(ScmStatus.InvalidArgument, Assign(Region, 0x10000, [3], [(3, 0x7)]).Status);
        Assert.Equal(ScmStatus.Success, Assign(Region, 0x10000, [0x0F], [(3, 0x7)]).Status);
    }

    [Fact]
    public void Giving_memory_back_to_HLOS_alone_removes_the_protection_region()
    {
        Assign(Region, 0x10000, [3], [(0x0F, 0x6)]);
        Assign(Region, 0x10000, [0x0F], [(3, 0x7)]);
        Assert.Empty(_tz.Bus.Protection.Regions);
        Assert.Equal(BusStatus.Ok, _tz.Bus.Read(BusMaster.LinuxEl1, new PhysAddr(Region), new byte[4]));
    }

    [Fact]
    public void A_region_overlapping_an_assigned_one_is_refused()
    {
        Assign(Region, 0x10000, [3], [(0x0F, 0x6)]);
        Assert.Equal(ScmStatus.InvalidArgument, Assign(Region + 0x8000, 0x10000, [3], [(0x0F, 0x6)]).Status);
    }

    [Theory]
    [InlineData(Region + 0x10, 0x1000UL)]
    [InlineData(Region, 0x1001UL)]
    [InlineData(Region, 0UL)]
    public void Unaligned_or_empty_regions_are_refused(ulong address, ulong size) =>
        Assert.Equal(ScmStatus.InvalidArgument, Assign(address, size, [3], [(0x0F, 0x6)]).Status);

    [Fact]
    public void Bad_permissions_or_vmids_are_refused()
    {
        Assert.Equal(ScmStatus.InvalidArgument, Assign(Region, 0x1000, [3], [(0x0F, 0x9)]).Status);
        Assert.Equal(ScmStatus.InvalidArgument, Assign(Region, 0x1000, [3], [(64, 0x6)]).Status);
        Assert.Equal(ScmStatus.InvalidArgument, Assign(Region, 0x1000, [3], [(0x0F, 0x6), (0x0F, 0x4)]).Status);
    }

    [Fact]
    public void Lists_outside_bridges_are_refused_once_bridges_are_on()
    {
        _tz.EnableBridges();
        Assert.Equal(ScmStatus.InvalidAddress, Assign(Region, 0x1000, [3], [(0x0F, 0x6)]).Status);
        _tz.CreateBridge(Lists, 0x2000);
        Assert.Equal(ScmStatus.Success, Assign(Region, 0x1000, [3], [(0x0F, 0x6)]).Status);
    }
}
