using Secretary.Emulator.Internals;

namespace Secretary.Emulator;

/// <summary>Settings of an <see cref="EmulatorServer"/>. Copied when the server starts; later changes have no effect.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Gets or sets the loopback address to bind.</summary>
    /// <value>Default <c>127.0.0.1</c>. Only loopback addresses (<c>127.0.0.1</c>, <c>::1</c>, <c>localhost</c>) are accepted.</value>
    public string Host { get; set; } = EmulatorConstants.DefaultHost;

    /// <summary>Gets or sets the TCP port.</summary>
    /// <value>Default 4566. 0 picks a free port (read it back from <see cref="EmulatorServer.Port"/>). Range 0..65535.</value>
    public int Port { get; set; } = EmulatorConstants.DefaultPort;

    /// <summary>Gets or sets a JSON file (name → string or JSON object) whose secrets are created at start in <see cref="DefaultRegion"/>.</summary>
    /// <value>Default none. Secrets that already exist (for example loaded from <see cref="DataFile"/>) are left alone.</value>
    public string? SeedFile { get; set; }

    /// <summary>
    /// Gets or sets a JSON file of Parameter Store parameters created at start in <see cref="DefaultRegion"/>: name → a
    /// string (a String parameter) or <c>{"Type": "SecureString", "Value": "..."}</c> (as <c>samples/dev-parameters.json</c>).
    /// </summary>
    /// <value>Default none. Parameters live in memory only (the data file holds secrets).</value>
    public string? ParameterSeedFile { get; set; }

    /// <summary>Gets or sets a file the whole state is persisted to (atomically, before each mutating call answers) and reloaded from at start.</summary>
    /// <value>Default none: state lives in memory only.</value>
    public string? DataFile { get; set; }

    /// <summary>Gets or sets the access key id requests must be signed with.</summary>
    /// <value>Default <c>test</c>.</value>
    public string AccessKey { get; set; } = EmulatorConstants.DefaultAccessKey;

    /// <summary>Gets or sets the secret access key requests must be signed with.</summary>
    /// <value>Default <c>test</c>.</value>
    public string SecretKey { get; set; } = EmulatorConstants.DefaultSecretKey;

    /// <summary>Gets or sets the region used by the seed file and by the in-process helpers when no region is given.</summary>
    /// <value>Default <c>us-east-1</c>. Requests use the region of their SigV4 credential scope.</value>
    public string DefaultRegion { get; set; } = EmulatorConstants.DefaultRegion;

    /// <summary>Gets or sets the account id placed in ARNs.</summary>
    /// <value>Default <c>123456789012</c>; 12 digits.</value>
    public string AccountId { get; set; } = EmulatorConstants.DefaultAccountId;

    /// <summary>Gets or sets the largest accepted difference between a request's <c>X-Amz-Date</c> and the emulator's clock.</summary>
    /// <value>Default 15 minutes (as AWS). Must be positive.</value>
    public TimeSpan MaxClockSkew { get; set; } = EmulatorConstants.DefaultMaxClockSkew;

    /// <summary>
    /// Gets or sets the rotation functions a secret's <c>RotationLambdaARN</c> may name: function name → where it runs,
    /// <c>http://127.0.0.1:PORT/path</c> (the event is POSTed as JSON; a 2xx answer is success) or <c>cmd:PATH</c> (the
    /// program gets the event on standard input and the emulator's endpoint and credentials in its environment; exit code 0
    /// is success). A <c>RotationLambdaARN</c> matches by function name, as a bare name or a Lambda ARN
    /// (<c>arn:aws:lambda:REGION:ACCOUNT:function:NAME</c>).
    /// </summary>
    /// <value>Default none: every rotation uses the built-in password generator. Names are 1–64 of <c>A-Z a-z 0-9 - _</c>;
    /// HTTP targets must be on loopback; a command must exist.</value>
    public IDictionary<string, string> RotationFunctions { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how long one step of a rotation function may run before it counts as failed.</summary>
    /// <value>Default 5 minutes (on <see cref="TimeProvider"/>). Must be positive.</value>
    public TimeSpan RotationStepTimeout { get; set; } = EmulatorConstants.DefaultRotationStepTimeout;

    /// <summary>Gets or sets the clock used for timestamps, deletion windows and signature skew checks.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal EmulatorOptions Duplicate()
    {
        var copy = (EmulatorOptions)MemberwiseClone();
        copy.RotationFunctions = new Dictionary<string, string>(RotationFunctions ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        return copy;
    }

    internal void Validate()
    {
        var problems = new List<string>();
        if (!IsLoopback(Host))
        {
            problems.Add($"Host '{Host}' is not a loopback address; use 127.0.0.1, ::1 or localhost.");
        }

        if (Port is < 0 or > 65535)
        {
            problems.Add($"Port {Port} is out of range 0..65535.");
        }

        if (string.IsNullOrEmpty(AccessKey))
        {
            problems.Add("AccessKey must not be empty.");
        }

        if (string.IsNullOrEmpty(SecretKey))
        {
            problems.Add("SecretKey must not be empty.");
        }

        if (!Internals.Regions.IsValid(DefaultRegion))
        {
            problems.Add($"DefaultRegion '{DefaultRegion}' is not a region name such as us-east-1.");
        }

        if (AccountId is null || AccountId.Length != 12 || !AccountId.All(char.IsAsciiDigit))
        {
            problems.Add("AccountId must be 12 digits.");
        }

        if (MaxClockSkew <= TimeSpan.Zero)
        {
            problems.Add("MaxClockSkew must be positive.");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null.");
        }

        if (RotationStepTimeout <= TimeSpan.Zero)
        {
            problems.Add("RotationStepTimeout must be positive.");
        }

        foreach (var (name, target) in RotationFunctions)
        {
            problems.AddRange(Internals.RotationFunctionTarget.Problems(name, target));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid emulator options: " + string.Join(" ", problems));
        }
    }

    internal static bool IsLoopback(string? host) =>
        host is "127.0.0.1" or "::1" or "[::1]" or "localhost";
}
