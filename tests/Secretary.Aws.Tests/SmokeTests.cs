using System.Text;
using Amazon;
using Amazon.Runtime;
using Secretary.Aws.Internals;
using Secretary.Emulator;

namespace Secretary.Aws.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Raw_client_reads_from_emulator()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0 });
        emulator.PutSecret("demo", "hello", "eu-west-1");
        var config = new SecretsManagerConfig { ServiceURL = emulator.Endpoint.ToString(), AuthenticationRegion = "eu-west-1" };
        using var client = new SecretsManagerClient(new BasicAWSCredentials("test", "test"), config);
        var body = await client.SendAsync("GetSecretValue", Encoding.UTF8.GetBytes("{\"SecretId\":\"demo\"}"), default);
        Assert.Contains("hello", Encoding.UTF8.GetString(body));
        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => client.SendAsync("GetSecretValue", Encoding.UTF8.GetBytes("{\"SecretId\":\"nope\"}"), default));
        Assert.Equal("ResourceNotFoundException", ex.ErrorCode);
    }
}
