namespace Secretary.Redis.Internals;

/// <summary>The defaults of <see cref="RedisBackplaneOptions"/>, in one place.</summary>
internal static class RedisBackplaneDefaults
{
    public const string Configuration = "localhost:6379";
    public const string Channel = "secretary:changes";
    public const int MaxPendingPublishes = 1024;
    public const int MaxMessageBytes = 8 * 1024;
    public const int MaxPendingReceived = 1024;
    public const int MaxRemembered = 10_000;
    public const int MaxChannelLength = 256;
    public const int MaxInstanceIdLength = 128;
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
}
