using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Secretary.Cli.Commands;

/// <summary>
/// The AWS agent's <c>credentials_file_path</c>: AWS credentials from a shared-credentials file (profile
/// <c>AWS_PROFILE</c>, else <c>default</c>), re-read at most every 5 minutes when the file changed, the last good ones
/// kept while it cannot be read. Parsed by the SDK's own reader.
/// </summary>
internal sealed class CredentialsFile(string path, TimeProvider time) : AWSCredentials
{
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private ImmutableCredentials? _credentials;
    private DateTime _written;
    private long _checkedAt = long.MinValue;

    public override ImmutableCredentials GetCredentials()
    {
        lock (_gate)
        {
            if (_credentials is null || _checkedAt == long.MinValue || time.GetElapsedTime(_checkedAt) >= ReloadInterval)
            {
                _checkedAt = time.GetTimestamp();
                Reload();
            }

            return _credentials ?? throw new AmazonClientException($"No AWS credentials could be read from {path} yet; the agent reads it again every {ReloadInterval.TotalMinutes:0} minutes.");
        }
    }

    public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromResult(GetCredentials());

    private void Reload()
    {
        try
        {
            var written = File.GetLastWriteTimeUtc(path);
            if (_credentials is not null && written == _written)
            {
                return;
            }

            var profile = Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } name ? name : "default";
            var file = new SharedCredentialsFile(path);
            if (file.TryGetProfile(profile, out var found) && AWSCredentialsFactory.TryGetAWSCredentials(found, file, out var credentials))
            {
                _credentials = credentials.GetCredentials();
                _written = written;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or AmazonClientException)
        {
            // Keep the last good credentials; the next read after the interval tries again.
        }
    }
}
