using System.Text.Json;
using Secretary.Cli.Dev;

namespace Secretary.Aws.Tests;

public sealed class StoreReadTests
{
    [Fact]
    public async Task A_signed_request_is_accepted_and_reads_by_name()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        var versionId = aws.Emulator.PutSecret("app/db", "{\"user\":\"app\"}");

        var secret = await aws.Store.GetSecretAsync(new SecretRequest("app/db"));

        Assert.Equal("app/db", secret.Name);
        Assert.Equal(versionId, secret.VersionId);
        Assert.Equal("{\"user\":\"app\"}", secret.SecretString);
        Assert.Contains(SecretRequest.CurrentStage, secret.VersionStages);
        Assert.StartsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-", secret.Arn);
        Assert.NotNull(secret.CreatedDate);
        Assert.Equal("aws", aws.Store.Kind);
        Assert.Equal("us-east-1", aws.Store.Region);
        Assert.Equal(20, aws.Store.MaxBatchSize);
        Assert.Equal(1, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task Reads_by_full_and_partial_arn()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("svc/key", "v1");
        var arn = (await aws.Store.GetSecretAsync(new SecretRequest("svc/key"))).Arn!;

        var byArn = await aws.Store.GetSecretAsync(new SecretRequest(arn));
        var byPartialArn = await aws.Store.GetSecretAsync(new SecretRequest(arn[..^7]));

        Assert.Equal("v1", byArn.SecretString);
        Assert.Equal("svc/key", byPartialArn.Name);
        Assert.Equal(arn, byPartialArn.Arn);
    }

    [Fact]
    public async Task Reads_by_version_id_and_by_version_stage()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        var first = aws.Emulator.PutSecret("rotating", "old");
        var second = aws.Emulator.PutSecret("rotating", "new");

        var current = await aws.Store.GetSecretAsync(new SecretRequest("rotating"));
        var previous = await aws.Store.GetSecretAsync(new SecretRequest("rotating", VersionStage: SecretRequest.PreviousStage));
        var byId = await aws.Store.GetSecretAsync(new SecretRequest("rotating", VersionId: first));
        var byIdAndStage = await aws.Store.GetSecretAsync(new SecretRequest("rotating", second, SecretRequest.CurrentStage));

        Assert.Equal("new", current.SecretString);
        Assert.Equal("old", previous.SecretString);
        Assert.Contains(SecretRequest.PreviousStage, previous.VersionStages);
        Assert.Equal("old", byId.SecretString);
        Assert.Equal(first, byId.VersionId);
        Assert.Equal("new", byIdAndStage.SecretString);
    }

    [Fact]
    public async Task Reads_binary_secrets_as_bytes()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        byte[] bytes = [0, 1, 2, 250, 255, 42];
        await AwsTestSupport.CallAsync(aws.Emulator, "CreateSecret", JsonSerializer.Serialize(new { Name = "cert", SecretBinary = Convert.ToBase64String(bytes) }));

        var secret = await aws.Store.GetSecretAsync(new SecretRequest("cert"));
        var batch = await aws.Store.GetSecretsAsync([new SecretRequest("cert")]);

        Assert.True(secret.IsBinary);
        Assert.Null(secret.SecretString);
        Assert.Equal(bytes, secret.SecretBinary!.Value.ToArray());
        Assert.Equal(bytes, batch[0].Secret!.SecretBinary!.Value.ToArray());
    }

    [Fact]
    public async Task A_rotation_is_seen_on_the_next_read()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("db", "{\"password\":\"a\"}");
        var before = await aws.Store.GetSecretAsync(new SecretRequest("db"));

        var rotated = aws.Emulator.RotateSecret("db");
        var after = await aws.Store.GetSecretAsync(new SecretRequest("db"));

        Assert.NotEqual(before.VersionId, after.VersionId);
        Assert.Equal(rotated, after.VersionId);
    }

    [Fact]
    public async Task The_signing_region_follows_the_configured_region_with_an_endpoint_override()
    {
        // The emulator keeps secrets per region (from the SigV4 scope): a wrong scope would read us-east-1.
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("regional", "east", "us-east-1");
        aws.Emulator.PutSecret("regional", "west", "eu-west-1");
        using var west = new AwsSecretsManagerStore(AwsTestSupport.OptionsFor(aws.Emulator, "eu-west-1"));

        var secret = await west.GetSecretAsync(new SecretRequest("regional"));

        Assert.Equal("west", secret.SecretString);
        Assert.Contains(":eu-west-1:", secret.Arn);
        Assert.Equal("eu-west-1", west.Region);
    }

    [Fact]
    public async Task The_local_helper_serves_the_seed_file()
    {
        var seed = Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json");
        await using var aws = await LocalAws.StartAsync(seedFile: seed);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(seed));
        var name = document.RootElement.EnumerateObject().First().Name;

        var secret = await aws.Store.GetSecretAsync(new SecretRequest(name));

        Assert.Equal(name, secret.Name);
        Assert.Equal(aws.Emulator.Port, aws.Endpoint.Port);
    }
}
