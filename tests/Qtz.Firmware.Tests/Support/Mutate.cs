using System.Buffers.Binary;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;

namespace Qtz.Firmware.Tests.Support;

/// <summary>Byte surgery on images and the "typed error" predicate the malformed-input tests share.</summary>
public static class Mutate
{
    public static byte[] With(byte[] image, Action<byte[]> change)
    {
        var copy = (byte[])image.Clone();
        change(copy);
        return copy;
    }

    public static void PutU32(byte[] image, long offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)offset), value);

    /// <summary>Offset in the file of the hash segment (single-file image).</summary>
    public static int HashSegmentOffset(byte[] image)
    {
        using var fw = FirmwareImage.FromMemory(image);
        return (int)fw.ProgramHeaders[fw.HashSegmentIndex].Offset;
    }

    /// <summary>Malformed input must surface as a typed input error (exit 2), never anything else.</summary>
    public static bool IsTypedInputError(Exception e) => e is FirmwareFormatException or IOException;

    /// <summary>Verifies, returning the report or the typed input error (any other exception propagates).</summary>
    public static (VerificationReport? Report, Exception? Error) TryVerify(ReadOnlyMemory<byte> image, VerifyOptions? options = null)
    {
        try
        {
            using var fw = FirmwareImage.FromMemory(image);
            return (FirmwareVerifier.Verify(fw, options), null);
        }
        catch (Exception e) when (IsTypedInputError(e))
        {
            return (null, e);
        }
    }
}
