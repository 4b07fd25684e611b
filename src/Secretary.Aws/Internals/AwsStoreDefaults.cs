namespace Secretary.Aws.Internals;

/// <summary>The defaults and limits of <see cref="AwsSecretsManagerStoreOptions"/>, in one place.</summary>
internal static class AwsStoreDefaults
{
    public const int MaxAttempts = 3;
    public const int MaxMaxAttempts = 10;
    public const int BatchSize = 20;
    public const int MaxBatchPages = 50;
    public const string Kind = "aws";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RegionBackoff = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxRegionBackoff = TimeSpan.FromMinutes(5);
}
