using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Oee.Grains.Client;

/// <summary>
/// New task ids: UUID version 7 (RFC 9562; the creation millisecond, then 74 random bits), in the
/// same form as <see cref="Guid.CreateVersion7(DateTimeOffset)"/>. The random bits come from the
/// system's cryptographic generator in blocks of a few kilobytes per thread, instead of one read
/// of it per id (<see cref="Guid.NewGuid"/> reads it for each id, a system call per task).
/// </summary>
internal static class TaskIds
{
    private const int IdsPerBlock = 256;
    private const int RandomBytesPerId = 10;

    [ThreadStatic]
    private static byte[]? block;

    [ThreadStatic]
    private static int taken;

    /// <summary>A new version 7 UUID for <paramref name="at"/>, as text (<c>xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx</c>).</summary>
    public static string NewV7(DateTimeOffset at)
    {
        var milliseconds = at.ToUnixTimeMilliseconds();
        if (milliseconds < 0 || milliseconds > 0xFFFF_FFFF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, "A version 7 UUID holds times from 1970 to the year 10889.");
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        TakeRandom(bytes[6..]);

        // Version 7 in the high nibble of byte 6; the variant (binary 10) in the top bits of byte 8.
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private static void TakeRandom(Span<byte> destination)
    {
        var source = block;
        if (source is null || taken == IdsPerBlock)
        {
            source = block ??= new byte[IdsPerBlock * RandomBytesPerId];
            RandomNumberGenerator.Fill(source);
            taken = 0;
        }

        source.AsSpan(taken * RandomBytesPerId, RandomBytesPerId).CopyTo(destination);

        // Each random byte serves one id only.
        source.AsSpan(taken * RandomBytesPerId, RandomBytesPerId).Clear();
        taken++;
    }
}
