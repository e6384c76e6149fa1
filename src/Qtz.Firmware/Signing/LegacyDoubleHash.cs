using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Qtz.Firmware.Signing;

/// <summary>
/// The legacy v3 scheme: d0 = SHA256(M); d1 = SHA256(BE64(SW_ID ⊕ 0x36…) ‖ d0); d2 = SHA256(BE64(HW_ID ⊕ 0x5C…) ‖ d1);
/// signature = raw RSA of 00 01 FF… 00 ‖ d2 (no DigestInfo).
/// </summary>
public static class LegacyDoubleHash
{
    public static byte[] Digest(ReadOnlySpan<byte> message, ulong softwareId, ulong hardwareId)
    {
        Span<byte> buffer = stackalloc byte[8 + 32];
        SHA256.HashData(message, buffer[8..]);
        BinaryPrimitives.WriteUInt64BigEndian(buffer, softwareId ^ 0x3636363636363636UL);
        SHA256.HashData(buffer, buffer[8..]);
        BinaryPrimitives.WriteUInt64BigEndian(buffer, hardwareId ^ 0x5C5C5C5C5C5C5C5CUL);
        return SHA256.HashData(buffer);
    }

    /// <summary>The encoded block 00 01 FF… 00 ‖ digest of the modulus length.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> digest, int modulusLength)
    {
        if (modulusLength < digest.Length + 11)
            throw new ArgumentException($"a {modulusLength}-byte RSA modulus is too short for PKCS#1 padding", nameof(modulusLength));
        var block = new byte[modulusLength];
        block[1] = 1;
        block.AsSpan(2, modulusLength - digest.Length - 3).Fill(0xFF);
        digest.CopyTo(block.AsSpan(modulusLength - digest.Length));
        return block;
    }

    public static bool Verify(RSAParameters publicKey, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> digest)
    {
        var modulus = publicKey.Modulus!;
        if (signature.Length != modulus.Length)
            return false;
        var n = new BigInteger(modulus, isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= n)
            return false;
        var m = BigInteger.ModPow(s, new BigInteger(publicKey.Exponent!, isUnsigned: true, isBigEndian: true), n);
        var expected = Encode(digest, modulus.Length);
        var actual = new byte[modulus.Length];
        if (!m.TryWriteBytes(actual.AsSpan(actual.Length - m.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true))
            return false;
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public static byte[] Sign(RSAParameters privateKey, ReadOnlySpan<byte> digest)
    {
        var modulus = privateKey.Modulus!;
        var n = new BigInteger(modulus, isUnsigned: true, isBigEndian: true);
        var m = new BigInteger(Encode(digest, modulus.Length), isUnsigned: true, isBigEndian: true);
        var s = BigInteger.ModPow(m, new BigInteger(privateKey.D!, isUnsigned: true, isBigEndian: true), n);
        var signature = new byte[modulus.Length];
        s.TryWriteBytes(signature.AsSpan(signature.Length - s.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return signature;
    }
}
