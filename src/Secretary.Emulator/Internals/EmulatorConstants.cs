namespace Secretary.Emulator.Internals;

/// <summary>Defaults and limits shared by the emulator (limits come from the Secrets Manager Smithy model).</summary>
internal static class EmulatorConstants
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 4566;
    public const string DefaultAccessKey = "test";
    public const string DefaultSecretKey = "test";
    public const string DefaultRegion = "us-east-1";
    public const string DefaultAccountId = "123456789012";
    public static readonly TimeSpan DefaultMaxClockSkew = TimeSpan.FromMinutes(15);

    public const string ServiceName = "secretsmanager";
    public const string TargetPrefix = "secretsmanager.";
    public const string JsonContentType = "application/x-amz-json-1.1";

    /// <summary>Largest request body accepted (a 64 KiB binary secret is about 87 KiB in base64 JSON).</summary>
    public const int MaxRequestBodyBytes = 256 * 1024;
    public const int MaxSecretValueBytes = 65536;
    public const int MaxNameLength = 512;
    public const int MaxSecretIdLength = 2048;
    public const int MaxDescriptionLength = 2048;
    public const int MaxTags = 50;
    public const int MaxVersionsKept = 100;
    public const int DefaultRecoveryWindowDays = 30;
    public const int DefaultPasswordLength = 32;
    public static readonly TimeSpan DefaultRotationStepTimeout = TimeSpan.FromMinutes(5);

    public const string Current = "AWSCURRENT";
    public const string Previous = "AWSPREVIOUS";
    public const string Pending = "AWSPENDING";
}
