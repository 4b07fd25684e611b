using Secretary.Aws;

namespace Secretary.Aws.Tests;

public sealed class StoreRegistrationTests
{
    [Fact]
    public void Once_registered_the_aws_kind_builds_an_aws_store_for_the_region_given()
    {
        // Registration is explicit (no reflection, so it works trimmed and under Native AOT), and may be repeated.
        AwsSecretStores.Register();
        AwsSecretStores.Register();

        using var store = (AwsSecretsManagerStore)SecretStores.Create("aws:eu-west-1");

        Assert.Equal("aws", store.Kind);
        Assert.Equal("eu-west-1", store.Region);
        Assert.Contains("aws", SecretStores.Kinds);
    }
}
