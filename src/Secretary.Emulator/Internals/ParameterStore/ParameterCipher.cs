using System.Security.Cryptography;
using System.Text;

namespace Secretary.Emulator.Internals.ParameterStore;

/// <summary>
/// The emulator's stand-in for KMS: a SecureString read without decryption is answered as base64 ciphertext, as the
/// service answers, here the value's bytes masked with a keystream derived from the key id, name and version (no real
/// key: the emulator is for development and tests, never for protecting data).
/// </summary>
internal static class ParameterCipher
{
    public const string DefaultKeyId = "alias/aws/ssm";

    public static string Encrypt(string keyId, string name, long version, string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var header = Encoding.ASCII.GetBytes("AQICAH");
        var result = new byte[header.Length + plain.Length];
        header.CopyTo(result, 0);
        var stream = Keystream(keyId, name, version, plain.Length);
        for (var i = 0; i < plain.Length; i++)
        {
            result[header.Length + i] = (byte)(plain[i] ^ stream[i]);
        }

        return Convert.ToBase64String(result);
    }

    private static byte[] Keystream(string keyId, string name, long version, int length)
    {
        var stream = new byte[length];
        var seed = Encoding.UTF8.GetBytes($"{keyId}\n{name}\n{version}");
        for (var block = 0; block * 32 < length; block++)
        {
            var digest = SHA256.HashData([.. seed, (byte)block, (byte)(block >> 8), (byte)(block >> 16)]);
            Array.Copy(digest, 0, stream, block * 32, Math.Min(32, length - (block * 32)));
        }

        return stream;
    }
}
