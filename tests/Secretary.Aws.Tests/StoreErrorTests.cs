using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator;

namespace Secretary.Aws.Tests;

public sealed class StoreErrorTests
{
    [Fact]
    public async Task A_wrong_secret_key_is_access_denied()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("s", "v");
        var options = AwsTestSupport.OptionsFor(aws.Emulator);
        options.Credentials = new BasicAWSCredentials("test", "not-the-secret");
        using var store = new AwsSecretsManagerStore(options);

        var error = await Assert.ThrowsAsync<SecretAccessDeniedException>(() => store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Equal(403, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Equal("s", error.SecretId);
        Assert.Equal(1, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task An_unknown_access_key_is_access_denied()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        var options = AwsTestSupport.OptionsFor(aws.Emulator);
        options.Credentials = new BasicAWSCredentials("AKIDUNKNOWN", "test");
        using var store = new AwsSecretsManagerStore(options);

        var error = await Assert.ThrowsAsync<SecretAccessDeniedException>(() => store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
    }

    [Fact]
    public async Task A_missing_secret_is_not_found_without_retries()
    {
        await using var aws = await AwsTestSupport.StartAsync();

        var error = await Assert.ThrowsAsync<SecretNotFoundException>(() => aws.Store.GetSecretAsync(new SecretRequest("nope")));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(SecretErrorCategory.NotFound, error.Category);
        Assert.Equal(1, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task A_missing_version_is_not_found()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("s", "v");

        await Assert.ThrowsAsync<SecretNotFoundException>(() => aws.Store.GetSecretAsync(new SecretRequest("s", VersionStage: "NOPE")));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => aws.Store.GetSecretAsync(new SecretRequest("s", VersionId: new string('a', 32))));
    }

    [Fact]
    public async Task A_secret_scheduled_for_deletion_is_an_invalid_request()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("doomed", "v");
        await AwsTestSupport.CallAsync(aws.Emulator, "DeleteSecret", "{\"SecretId\":\"doomed\",\"RecoveryWindowInDays\":7}");

        var error = await Assert.ThrowsAsync<SecretRequestException>(() => aws.Store.GetSecretAsync(new SecretRequest("doomed")));

        Assert.Equal("InvalidRequestException", error.ErrorCode);
        Assert.Equal(SecretErrorCategory.InvalidRequest, error.Category);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task An_invalid_parameter_is_a_parameter_error()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("s", "v");

        // The service wants 32..64 characters for a version id; our own check allows 1..64.
        var service = await Assert.ThrowsAsync<SecretParameterException>(() => aws.Store.GetSecretAsync(new SecretRequest("s", VersionId: "short")));
        var local = await Assert.ThrowsAsync<SecretParameterException>(() => aws.Store.GetSecretAsync(new SecretRequest("s", VersionId: new string('x', 65))));

        Assert.Equal("ValidationException", service.ErrorCode);
        Assert.Equal(400, service.StatusCode);
        Assert.Null(local.StatusCode);
        Assert.Equal(1, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Theory]
    [InlineData("AccessDeniedException")]
    [InlineData("DecryptionFailure")]
    public async Task Access_and_decryption_failures_are_access_denied(string errorType)
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("s", "v");
        aws.Emulator.SetFaults(new EmulatorFaults { ErrorRate = 1, ErrorType = errorType });

        var error = await Assert.ThrowsAsync<SecretAccessDeniedException>(() => aws.Store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal(errorType, error.ErrorCode);
        Assert.Equal(1, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task Throttling_after_the_retries_is_unavailable_throttled()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("s", "v");
        aws.Emulator.SetFaults(new EmulatorFaults { Throttle = true });

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => aws.Store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal(StoreFailureReason.Throttled, error.Reason);
        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(3, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Theory]
    [InlineData("outage", "ServiceUnavailable", 503)]
    [InlineData("InternalServiceError", "InternalServiceError", 500)]
    public async Task Server_errors_after_the_retries_are_unavailable_server_error(string fault, string code, int status)
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("s", "v");
        aws.Emulator.SetFaults(fault == "outage" ? new EmulatorFaults { Outage = true } : new EmulatorFaults { ErrorRate = 1, ErrorType = fault });

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => aws.Store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal(StoreFailureReason.ServerError, error.Reason);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(3, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task A_dropped_connection_is_unavailable_network()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("s", "v");
        aws.Emulator.SetFaults(new EmulatorFaults { DropConnection = true });

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => aws.Store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal(StoreFailureReason.Network, error.Reason);
        Assert.True(error.IsTransient);
        // 3 SDK attempts, each re-sent at most once on a reset connection (MaxStaleConnectionRetries = 1; the SDK default 10 made it 13).
        Assert.InRange(aws.Emulator.GetRequestCounts().For("GetSecretValue"), 3, 6);
    }

    [Fact]
    public async Task A_hung_call_is_unavailable_timeout_when_the_store_timeout_passes_on_its_clock()
    {
        // The SDK's own per-attempt timeout is real time; it is set out of reach so only the store's clock can cut the call.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var timeout = TimeSpan.FromMinutes(5);
        await using var aws = await AwsTestSupport.StartAsync(o => (o.Timeout, o.TimeProvider) = (timeout, time));
        aws.Emulator.PutSecret("s", "v");
        aws.Emulator.SetFaults(new EmulatorFaults { Hang = true });

        var call = aws.Store.GetSecretAsync(new SecretRequest("s"));
        await Eventually.TrueAsync(() => aws.Emulator.GetRequestCounts().Faulted == 1, "the request to hang in the emulator");
        time.Advance(timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted, "the call ended before its timeout");
        time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => call.WaitAsync(Eventually.Deadline));
        Assert.Equal(StoreFailureReason.Timeout, error.Reason);
        Assert.True(error.IsTransient);
        Assert.Equal(1, aws.Emulator.GetRequestCounts().For("GetSecretValue")); // cut, not retried
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_timeout()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("s", "v");
        aws.Emulator.SetFaults(new EmulatorFaults { Hang = true });
        using var cts = new CancellationTokenSource();

        var call = aws.Store.GetSecretAsync(new SecretRequest("s"), cts.Token);
        await Eventually.TrueAsync(() => aws.Emulator.GetRequestCounts().Faulted == 1, "the request to hang in the emulator");
        await cts.CancelAsync();

        // The caller's own cancellation, not a SecretStoreUnavailableException (Timeout) the cache would retry.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Eventually.Deadline));
    }

    [Fact]
    public async Task A_closed_port_is_unavailable_network()
    {
        int port;
        await using (var aws = await AwsTestSupport.StartAsync())
        {
            port = aws.Emulator.Port;
        }

        var options = new AwsSecretsManagerStoreOptions
        {
            Region = "us-east-1",
            ServiceUrl = $"http://127.0.0.1:{port}/",
            Credentials = new BasicAWSCredentials("test", "test"),
            Timeout = TimeSpan.FromSeconds(5),
        };
        using var store = new AwsSecretsManagerStore(options);

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal(StoreFailureReason.Network, error.Reason);
    }
}
