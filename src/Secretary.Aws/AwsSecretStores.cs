namespace Secretary.Aws;

/// <summary>
/// Registers the <c>aws</c> store kind with <see cref="SecretStores"/>: <c>SECRETARY_STORE=aws</c> (or
/// <c>aws:REGION</c>) then builds an <see cref="AwsSecretsManagerStore"/> from the environment, as the AWS CLI
/// would. Call <see cref="Register"/> once at start-up (the <c>secretary</c> command does): kinds are not found by
/// reflection, so registration works trimmed and under Native AOT.
/// </summary>
public static class AwsSecretStores
{
    /// <summary>Registers (or re-registers) the <c>aws</c> kind.</summary>
    public static void Register() =>
        SecretStores.Register("aws", argument => new AwsSecretsManagerStore(new AwsSecretsManagerStoreOptions { Region = argument }));
}
