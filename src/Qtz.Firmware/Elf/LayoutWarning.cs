namespace Qtz.Firmware.Elf;

/// <summary>
/// A layout oddity Linux's mdt_loader loads anyway (it never compares segments with each other): shown
/// by `fw info` and `fw verify` (text and JSON), never a reason to refuse the image.
/// </summary>
public readonly record struct LayoutWarning(int First, int Second, string Message)
{
    public override string ToString() => Message;
}
