using Qtz.DeviceTree.Model;
using Qtz.DeviceTree;
using Qtz.Kernel.Peripherals;
using Qtz.Kernel;
using Qtz.Platform.Boards;
using Qtz.Secure.Pas;
using Qtz.Soc.Addressing;
using Qtz.Soc;
using Xunit;
using static Qtz.Platform.Tests.Peripherals.PasUserBoards;

namespace Qtz.Platform.Tests.Peripherals;

/// <summary>Video (PAS 9) and the Adreno zap shader (PAS 13) in Linux's order, with their errno cases (spec/socs.md §5.1-5.2).</summary>
public sealed class VideoAndZapTests
{
    [Fact]
    public void An_sm8250_board_boots_venus_and_the_zap_shader()
    {
        using var board = Build("sm8250-mtp.dtb");
        var report = board.Boot();
        Assert.Equal("running", Peripheral(report, "venus").State);
        Assert.Equal("video", Peripheral(report, "venus").Kind);
        Assert.Equal("running", Peripheral(report, "gpu-zap").State);
        Assert.Equal("gpu-zap", Peripheral(report, "gpu-zap").Kind);
        Assert.True(report.AllRunning);
        Assert.Equal(["adsp", "slpi", "cdsp", "venus", "gpu-zap"], report.Peripherals.Select(p => p.Name));
    }

    [Fact]
    public void Venus_loads_then_authenticates_pas_9_and_an_sm8250_sends_no_video_var()
    {
        using var board = Build("sm8250-mtp.dtb");
        board.Boot();
        // qcom_mdt_load: INIT_IMAGE, MEM_SETUP (the generated image is relocatable), copy; then AUTH_AND_RESET.
        Assert.Equal(["INIT_IMAGE 9", "MEM_SETUP 9", "AUTH_AND_RESET 9"], Calls(board, 9));
        Assert.Equal(0, board.VideoVar.Calls);
        Assert.True(board.Pas.IsCarveoutLocked(9));
    }

    [Fact]
    public void Venus_v2_on_sdm845_sends_video_var_with_its_content_protection_ranges_after_authentication()
    {
        using var board = Build("sdm845-db845c.dtb");
        board.Boot();
        Assert.Equal(["INIT_IMAGE 9", "MEM_SETUP 9", "AUTH_AND_RESET 9", "VIDEO_VAR 0x0 0x70800000 0x1000000 0x24800000"], Calls(board, 9));
        Assert.Equal(new VideoVarRanges(0, 0x7080_0000, 0x0100_0000, 0x2480_0000), board.VideoVar.Last);
    }

    [Fact]
    public void Venus_shutdown_is_shutdown_of_pas_9_and_it_boots_again_through_the_same_sequence()
    {
        using var board = Build("sm8250-mtp.dtb");
        board.Boot();
        var venus = board.PasUserDriver("venus")!;
        var mark = Mark(board);
        Assert.Equal(Errno.None, venus.Stop());
        Assert.Equal("offline", venus.State);
        Assert.False(board.Pas.IsCarveoutLocked(9));
        Assert.Equal(Errno.None, venus.Start());
        Assert.Equal(["SHUTDOWN 9", "INIT_IMAGE 9", "MEM_SETUP 9", "AUTH_AND_RESET 9"], Calls(board, 9, mark));
    }

    [Fact]
    public void Video_suspend_and_resume_set_the_remote_state_with_id_0_as_mainline()
    {
        using var board = Build("sm8250-mtp.dtb");
        board.Boot();
        var venus = (VideoFirmware)board.PasUserDriver("venus")!;
        var mark = Mark(board);
        Assert.Equal(Errno.None, venus.Suspend());
        Assert.Equal("suspended", venus.State);
        Assert.Equal(0u, board.Pas.RemoteState.StateOf(0));
        Assert.Equal(Errno.None, venus.Resume());
        Assert.Equal(["SET_REMOTE_STATE 0 0", "SET_REMOTE_STATE 1 0"], Calls(board, 9, mark));
        Assert.Equal(1u, board.Pas.RemoteState.StateOf(0));
    }

    [Fact]
    public void The_posted_generic_pas_series_passes_the_pas_id_to_set_remote_state()
    {
        using var board = Build("sm8250-mtp.dtb", o => o with { VideoRemoteStateId = 9 });
        board.Boot();
        var venus = (VideoFirmware)board.PasUserDriver("venus")!;
        var mark = Mark(board);
        venus.Suspend();
        Assert.Equal(["SET_REMOTE_STATE 0 9"], Calls(board, 9, mark));
    }

    [Fact]
    public void Iris_sends_one_video_var_per_config_and_a_refused_one_shuts_video_down_again()
    {
        using var board = Build("sm8250-mtp.dtb");
        board.Boot();
        board.PasUserDriver("venus")!.Stop();
        var node = board.PasUsers.Single(u => u.Name == "venus").Node;
        var platform = new VideoPlatform(VideoDriver.Iris, "qcom/vpu-1.0/venus.mbn")
        {
            // The second range wraps the 32-bit space: TrustZone refuses it (EINVAL_ARG, Linux -EINVAL).
            ContentProtection = [new(0, 0x2580_0000, 0x0100_0000, 0x2480_0000), new(0xFFFF_F000, 0x2000, 0, 0x1000)],
        };
        var iris = new VideoFirmware(Config(board, node, "iris"), platform);
        var mark = Mark(board);
        Assert.Equal(Errno.EINVAL, iris.Start());
        Assert.Equal(["INIT_IMAGE 9", "MEM_SETUP 9", "AUTH_AND_RESET 9", "VIDEO_VAR 0x0 0x25800000 0x1000000 0x24800000",
            "VIDEO_VAR 0xfffff000 0x2000 0x0 0x1000 -> EINVAL_ARG", "SHUTDOWN 9"], Calls(board, 9, mark));
        Assert.Equal("failed", iris.State);
        Assert.False(board.Pas.IsCarveoutLocked(9));
    }

    [Fact]
    public void Iris_reports_any_load_failure_as_enomem_and_venus_as_the_cause()
    {
        using var board = Build("sm8250-mtp.dtb");
        var node = board.PasUsers.Single(u => u.Name == "venus").Node;
        node.SetProperty("firmware-name", DtValues.StringList(["qcom/absent/nothing.mbn"]));
        var venus = new VideoFirmware(Config(board, node, "venus2"), new VideoPlatform(VideoDriver.Venus, "x"));
        var iris = new VideoFirmware(Config(board, node, "iris"), new VideoPlatform(VideoDriver.Iris, "x"));
        Assert.Equal(Errno.ENOENT, venus.Start());
        Assert.Equal(Errno.ENOMEM, iris.Start());
        Assert.Contains("firmware download failed", iris.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Video_without_a_memory_region_fails_with_einval_before_any_pas_call()
    {
        var tree = Tree("sm8250-mtp.dtb");
        tree.Root.DescendantsAndSelf().Single(n => n.GetStringList("compatible").Contains("qcom,sm8250-venus")).RemoveProperty("memory-region");
        using var board = Build(tree, "sm8250-no-venus-region.dtb");
        var report = board.Boot();
        Assert.Equal("failed", Peripheral(report, "venus").State);
        Assert.Contains("-EINVAL", Peripheral(report, "venus").Reason, StringComparison.Ordinal);
        Assert.Empty(Calls(board, 9));
    }

    [Fact]
    public void The_zap_shader_loads_and_authenticates_pas_13_from_the_zap_nodes_firmware_name_and_region()
    {
        using var board = Build("sm8250-mtp.dtb");
        board.Boot();
        Assert.Equal(["INIT_IMAGE 13", "MEM_SETUP 13", "AUTH_AND_RESET 13"], Calls(board, 13));
        Assert.Equal("qcom/sm8250/a650_zap.mbn", board.PasUserDriver("gpu-zap")!.Firmware);
        var zapRegion = board.PasUsers.Single(u => u.Name == "gpu-zap").Region!.Value;
        Assert.Equal(new PhysRange(new PhysAddr(0x8681_a000), 0x2000), zapRegion);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_missing_or_disabled_zap_shader_node_turns_zap_off_quietly(bool disable)
    {
        var tree = Tree("sm8250-mtp.dtb");
        var zap = tree.Root.DescendantsAndSelf().Single(n => n.BaseName == "zap-shader");
        if (disable) zap.SetString("status", "disabled");
        else zap.Parent!.RemoveChild(zap);
        using var board = Build(tree, "sm8250-zap.dtb");
        var report = board.Boot();
        var row = Peripheral(report, "gpu-zap");
        Assert.Equal("off", row.State);
        Assert.True(row.Ok);
        Assert.Contains("-ENODEV", row.Reason, StringComparison.Ordinal);
        Assert.Empty(Calls(board, 13));
        Assert.True(report.AllRunning);
        // Off for good: a later hw_init does not try again.
        Assert.Equal(Errno.None, board.PasUserDriver("gpu-zap")!.Start());
        Assert.Empty(Calls(board, 13));
    }

    [Fact]
    public void A_zap_node_without_firmware_name_on_a_gpu_without_a_legacy_name_is_firmware_missing()
    {
        var tree = Tree("sm8550-hdk.dtb");
        tree.Root.DescendantsAndSelf().Single(n => n.BaseName == "zap-shader").RemoveProperty("firmware-name");
        using var board = Build(tree, "sm8550-no-zap-name.dtb");
        var report = board.Boot();
        var row = Peripheral(report, "gpu-zap");
        Assert.Equal("failed", row.State);
        Assert.Contains("firmware missing", row.Reason, StringComparison.Ordinal);
        Assert.Contains("-ENOENT", row.Reason, StringComparison.Ordinal);
        Assert.Empty(Calls(board, 13));
        Assert.False(report.AllRunning);
    }

    [Fact]
    public void A_zap_region_smaller_than_the_image_is_refused_with_e2big_before_any_pas_call()
    {
        using var board = Build("sm8250-mtp.dtb");
        var gpu = board.PasUsers.Single(u => u.Name == "gpu-zap");
        var region = gpu.Region!.Value;
        var zap = new ZapShader(Config(board, gpu.Node, "zap-small") with { RegionOf = _ => new PhysRange(region.Base, 0x800) }, gpu.Gpu!);
        Assert.Equal(Errno.E2BIG, zap.Start());
        Assert.Contains("too small", zap.Reason, StringComparison.Ordinal);
        Assert.Empty(Calls(board, 13));
    }

    [Fact]
    public void A_target_whose_trustzone_answers_eopnotsupp_does_not_need_the_zap_shader()
    {
        using var board = Build("sm8250-mtp.dtb", o => o with { ZapShaderNotNeeded = true });
        var report = board.Boot();
        var row = Peripheral(report, "gpu-zap");
        Assert.Equal("off", row.State);
        Assert.Contains("does not need the zap shader", row.Reason, StringComparison.Ordinal);
        Assert.Equal(["INIT_IMAGE 13", "MEM_SETUP 13", "AUTH_AND_RESET 13 -> EOPNOTSUPP"], Calls(board, 13));
        Assert.True(report.AllRunning);
        var mark = Mark(board);
        board.PasUserDriver("gpu-zap")!.Start();
        Assert.Empty(Calls(board, 13, mark));
    }

    [Fact]
    public void A_gpu_resume_after_suspend_makes_no_scm_call_on_an_a6xx()
    {
        using var board = Build("sm8250-mtp.dtb");
        board.Boot();
        var zap = board.PasUserDriver("gpu-zap")!;
        var mark = Mark(board);
        Assert.Equal(Errno.None, zap.Stop());
        Assert.Equal("suspended", zap.State);
        Assert.Equal(Errno.None, zap.Start());
        Assert.Equal("running", zap.State);
        Assert.Empty(Calls(board, 13, mark));
    }

    internal static PasUserConfig Config(Board board, DtNode node, string name) => new()
    {
        Node = node,
        Name = name,
        Scm = board.Scm,
        Pas = board.PasLayer,
        RequestFirmware = n => board.Firmware.TryOpen(n) ?? throw new FileNotFoundException($"firmware {n} not found"),
        RegionOf = r => board.Memory.RegionOf(r),
    };
}
