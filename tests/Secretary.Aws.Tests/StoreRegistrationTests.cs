using Secretary.Aws;

namespace Secretary.Aws.Tests;

public sealed class StoreRegistrationTests
{
    [Fact]
    public void Once_registered_the_aws_kind_builds_an_AWS_store_for_the_spec()
    {
        // Kinds are registered explicitly (no reflection, so trimmed and Native AOT builds find them too).
        AwsSecretStores.Register();
        using var store = (AwsSecretsManagerStore)SecretStores.Create("aws:eu-west-1");

        Assert.Equal("aws", store.Kind);
        Assert.Equal("eu-west-1", store.Region);
        Assert.Contains("aws", SecretStores.Kinds);
    }
}
