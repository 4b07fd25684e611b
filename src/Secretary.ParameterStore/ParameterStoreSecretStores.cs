namespace Secretary.ParameterStore;

/// <summary>
/// Registers the <c>ssm</c> store kind with <see cref="SecretStores"/>: <c>SECRETARY_STORE=ssm</c> builds an
/// <see cref="AwsParameterStore"/> from the environment, <c>ssm:/myapp/prod/</c> one whose relative names are read
/// under that path, and <c>aws,ssm</c> a <see cref="CompositeSecretStore"/> that reads secrets as they are named and
/// parameters as <c>ssm:NAME</c>. Call <see cref="Register"/> once at start-up (kinds are registered explicitly, never
/// found by reflection; <c>AddSecretary()</c> and the <c>secretary</c> command do).
/// </summary>
public static class ParameterStoreSecretStores
{
    /// <summary>Registers (or re-registers) the <c>ssm</c> kind.</summary>
    public static void Register() =>
        SecretStores.Register(ParameterAttributes.StoreKind, argument => new AwsParameterStore(new AwsParameterStoreOptions { PathPrefix = argument }));
}
