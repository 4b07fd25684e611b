namespace Secretary.Internals.Diagnostics;

/// <summary>The name of a store's read and batch read, by store kind, for metrics and spans.</summary>
internal static class StoreOperations
{
    public const string ParameterStoreKind = "ssm";

    public static string Read(string kind) => kind == ParameterStoreKind ? "GetParameter" : "GetSecretValue";

    public static string Batch(string kind) => kind == ParameterStoreKind ? "GetParameters" : "BatchGetSecretValue";
}
