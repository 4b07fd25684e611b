namespace Secretary.Aws;

/// <summary>
/// Registers the <c>aws</c> store kind with <see cref="SecretStores"/>: <c>SECRETARY_STORE=aws</c> (or
/// <c>aws:REGION</c>) then builds an <see cref="AwsSecretsManagerStore"/> from the environment, as the AWS CLI
/// would. Call <see cref="Register"/> once at start-up: kinds are registered explicitly, never found by reflection,
/// so they work trimmed and under Native AOT (the <c>secretary</c> command and <c>AddSecretary()</c> do).
/// </summary>
public static class AwsSecretStores
{
    /// <summary>Registers (or re-registers) the <c>aws</c> kind.</summary>
    public static void Register() =>
        SecretStores.Register("aws", argument => new AwsSecretsManagerStore(new AwsSecretsManagerStoreOptions { Region = argument }));
}
