namespace Secretary.Aws.Tests;

public sealed class BatchTests
{
    [Fact]
    public async Task Warming_100_secrets_costs_exactly_5_batch_calls()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        var ids = Enumerable.Range(0, 100).Select(i => $"warm/{i:D3}").ToList();
        foreach (var id in ids)
        {
            aws.Emulator.PutSecret(id, "{\"k\":\"" + id + "\"}");
        }

        using var cache = new SecretCache(aws.Store);
        var report = await cache.WarmAsync(ids);

        var counts = aws.Emulator.GetRequestCounts();
        Assert.Equal(5, counts.For("BatchGetSecretValue"));
        Assert.Equal(0, counts.For("GetSecretValue"));
        Assert.Equal(5, counts.Total);
        Assert.Equal(100, report.Successful);
        Assert.Equal(0, report.Failed);
        Assert.Equal(5, report.StoreCalls);
        Assert.All(report.Details, d => Assert.Equal(1, d.KeysCount));

        foreach (var id in ids)
        {
            Assert.Equal(id, (await cache.GetAsync(id)).GetValue("k"));
        }

        Assert.Equal(5, aws.Emulator.GetRequestCounts().Total);
        Assert.Equal("us-east-1", cache.GetStats().Region);
    }

    [Fact]
    public async Task Missing_ids_are_reported_and_the_rest_is_cached()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        var present = Enumerable.Range(0, 18).Select(i => $"p/{i}").ToList();
        foreach (var id in present)
        {
            aws.Emulator.PutSecret(id, "v");
        }

        aws.Emulator.PutSecret("p/deleted", "v");
        await AwsTestSupport.CallAsync(aws.Emulator, "DeleteSecret", "{\"SecretId\":\"p/deleted\",\"RecoveryWindowInDays\":7}");
        using var cache = new SecretCache(aws.Store);

        var report = await cache.WarmAsync([.. present, "p/missing", "p/deleted"]);

        Assert.Equal(1, aws.Emulator.GetRequestCounts().For("BatchGetSecretValue"));
        Assert.Equal(18, report.Successful);
        Assert.Equal(2, report.Failed);
        var missing = Assert.Single(report.Details, d => d.SecretName == "p/missing");
        Assert.Equal("failed", missing.Status);
        Assert.StartsWith("NotFound", missing.Error);
        Assert.StartsWith("InvalidRequest", Assert.Single(report.Details, d => d.SecretName == "p/deleted").Error);
        Assert.Equal(18, cache.GetStats().CachedSecretsCount);
        Assert.Equal(0, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => cache.GetAsync("p/missing").AsTask());
    }

    [Fact]
    public async Task Batch_results_map_back_to_the_request_by_name_full_arn_and_partial_arn()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("a", "va");
        aws.Emulator.PutSecret("b", "vb");
        aws.Emulator.PutSecret("c", "vc");
        var arnB = (await aws.Store.GetSecretAsync(new SecretRequest("b"))).Arn!;
        var arnC = (await aws.Store.GetSecretAsync(new SecretRequest("c"))).Arn!;
        SecretRequest[] requests = [new("a"), new(arnB), new(arnC[..^7], VersionStage: SecretRequest.CurrentStage), new("zz")];

        var results = await aws.Store.GetSecretsAsync(requests);

        Assert.Equal(requests, results.Select(r => r.Request));
        Assert.Equal("va", results[0].Secret!.SecretString);
        Assert.Equal("vb", results[1].Secret!.SecretString);
        Assert.Equal("vc", results[2].Secret!.SecretString);
        Assert.IsType<SecretNotFoundException>(results[3].Error);
        Assert.Equal("zz", results[3].Error!.SecretId);
        Assert.Equal(1, aws.Emulator.GetRequestCounts().For("BatchGetSecretValue"));
    }

    [Fact]
    public async Task Other_versions_are_read_one_by_one_and_more_than_20_ids_are_chunked()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        var ids = Enumerable.Range(0, 45).Select(i => $"c/{i}").ToList();
        foreach (var id in ids)
        {
            aws.Emulator.PutSecret(id, "v1");
        }

        aws.Emulator.PutSecret("c/0", "v2");
        List<SecretRequest> requests = [.. ids.Select(id => new SecretRequest(id)), new("c/0", VersionStage: SecretRequest.PreviousStage)];

        var results = await aws.Store.GetSecretsAsync(requests);

        var counts = aws.Emulator.GetRequestCounts();
        Assert.Equal(3, counts.For("BatchGetSecretValue"));
        Assert.Equal(1, counts.For("GetSecretValue"));
        Assert.Equal("v2", results[0].Secret!.SecretString);
        Assert.Equal("v1", results[^1].Secret!.SecretString);
        Assert.All(results, r => Assert.NotNull(r.Secret));
    }

    [Fact]
    public async Task A_failed_batch_gives_every_request_the_typed_error()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.SetFaults(new Secretary.Emulator.EmulatorFaults { Throttle = true });

        var results = await aws.Store.GetSecretsAsync([new SecretRequest("x"), new SecretRequest("y")]);

        Assert.All(results, r => Assert.Equal(StoreFailureReason.Throttled, Assert.IsType<SecretStoreUnavailableException>(r.Error).Reason));
        Assert.Equal(["x", "y"], results.Select(r => r.Error!.SecretId));
        Assert.Equal(3, aws.Emulator.GetRequestCounts().For("BatchGetSecretValue"));
    }
}
