using Qtz.Platform.IO;
using Qtz.TestSupport;
using Xunit;

namespace Qtz.Platform.Tests.IO;

public sealed class AtomicFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Names() => Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void A_write_that_throws_halfway_leaves_no_file_and_no_temporary()
    {
        Assert.Throws<InvalidOperationException>(() => AtomicFiles.Write(_dir.File("out.bin"), s =>
        {
            s.Write(new byte[10_000]);
            throw new InvalidOperationException("disk on fire");
        }));
        Assert.Empty(Names());
    }

    [Fact]
    public void A_write_that_throws_keeps_the_existing_target_byte_for_byte()
    {
        File.WriteAllText(_dir.File("out.bin"), "old");
        Assert.Throws<IOException>(() => AtomicFiles.Write(_dir.File("out.bin"), s =>
        {
            s.SetLength(1 << 20);
            throw new IOException("short read");
        }));
        Assert.Equal(["out.bin"], Names());
        Assert.Equal("old", File.ReadAllText(_dir.File("out.bin")));
    }

    [Fact]
    public void Until_the_commit_the_target_is_untouched_and_after_it_the_content_is_whole()
    {
        File.WriteAllText(_dir.File("out.bin"), "old");
        using (var set = new AtomicFiles())
        {
            set.Create(_dir.File("out.bin")).Write("new content"u8);
            Assert.Equal("old", File.ReadAllText(_dir.File("out.bin")));
            set.Commit();
        }

        Assert.Equal(["out.bin"], Names());
        Assert.Equal("new content", File.ReadAllText(_dir.File("out.bin")));
    }

    [Fact]
    public void A_set_disposed_without_commit_writes_none_of_its_files()
    {
        File.WriteAllText(_dir.File("a.mdt"), "old mdt");
        using (var set = new AtomicFiles())
        {
            set.Create(_dir.File("a.mdt")).Write("x"u8);
            set.Create(_dir.File("a.b00")).Write("y"u8);
        }

        Assert.Equal(["a.mdt"], Names());
        Assert.Equal("old mdt", File.ReadAllText(_dir.File("a.mdt")));
    }

    [Fact]
    public void A_set_whose_last_rename_fails_puts_the_earlier_targets_back()
    {
        File.WriteAllText(_dir.File("a.mdt"), "old mdt");
        using var set = new AtomicFiles();
        set.Create(_dir.File("a.mdt")).Write("new mdt"u8);
        set.Create(_dir.File("a.b00")).Write("new b00"u8);
        Directory.CreateDirectory(_dir.File("a.b00")); // the rename onto it fails
        Assert.ThrowsAny<IOException>(set.Commit);
        set.Dispose();
        Assert.Equal(["a.b00", "a.mdt"], Names());
        Assert.True(Directory.Exists(_dir.File("a.b00")));
        Assert.Equal("old mdt", File.ReadAllText(_dir.File("a.mdt")));
    }

    [Fact]
    public void A_directory_as_target_or_a_missing_directory_is_refused_before_anything_is_written()
    {
        Assert.Throws<IOException>(() => AtomicFiles.WriteAllBytes(_dir.Path, [1]));
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFiles.WriteAllBytes(_dir.File("no/such/file"), [1]));
        Assert.Empty(Names());
    }
}
