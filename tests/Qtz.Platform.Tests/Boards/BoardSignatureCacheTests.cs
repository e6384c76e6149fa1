using Qtz.Firmware.Verification;
using Qtz.Platform.Boards;
using Xunit;

namespace Qtz.Platform.Tests.Boards;

/// <summary>Regression: BoardOptions.SignatureCache left null switched TrustZone's own cache off, and every recovery paid its ECDSA checks again (the 10,000-cycle soak went from 26 s to 143 s).</summary>
public sealed class BoardSignatureCacheTests
{
    [Fact]
    public void A_board_without_a_shared_signature_cache_still_remembers_its_checks_in_trustzone()
    {
        var board = Board.Build();
        Assert.True(board.Boot().AllRunning);
        Assert.NotNull(board.Pas.SignatureCache);
        Assert.True(board.Pas.SignatureCache!.Count > 0);
    }

    [Fact]
    public void A_shared_signature_cache_is_the_one_trustzone_uses()
    {
        var shared = new SignatureCheckCache();
        var board = Board.Build(new BoardOptions { SignatureCache = shared });
        Assert.Same(shared, board.Pas.SignatureCache);
    }
}
