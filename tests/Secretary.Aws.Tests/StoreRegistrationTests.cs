using Secretary.Aws;

namespace Secretary.Aws.Tests;

public sealed class StoreRegistrationTests
{
    [Fact]
    public void The_aws_kind_is_built_once_registered_explicitly()
    {
        // Explicit registration (no reflection): what AddSecretary and the secretary command do at start-up.
        AwsSecretStores.Register();
        using var store = (AwsSecretsManagerStore)SecretStores.Create("aws:eu-west-1");

        Assert.Equal("aws", store.Kind);
        Assert.Equal("eu-west-1", store.Region);
        Assert.Contains("aws", SecretStores.Kinds);
    }
}
