namespace Secretary.ParameterStore;

/// <summary>
/// The keys of <see cref="Secret.Attributes"/> on a secret read from Parameter Store: the members of the service's
/// <c>Parameter</c> that every store does not have. The others map to <see cref="Secret"/> itself: <c>Name</c>,
/// <c>ARN</c> (<see cref="Secret.Arn"/>), <c>Version</c> (<see cref="Secret.VersionId"/>, as text),
/// <c>LastModifiedDate</c> (<see cref="Secret.CreatedDate"/>) and <c>Value</c> (<see cref="Secret.SecretString"/>).
/// </summary>
public static class ParameterAttributes
{
    /// <summary><c>String</c>, <c>StringList</c> or <c>SecureString</c>.</summary>
    public const string Type = "Type";

    /// <summary><c>text</c>, <c>aws:ec2:image</c> or <c>aws:ssm:integration</c>.</summary>
    public const string DataType = "DataType";

    /// <summary>The version or label selector the parameter was read with (<c>:3</c>, <c>:prod</c>), when there was one.</summary>
    public const string Selector = "Selector";

    /// <summary>The source's raw answer, for a parameter that references another service (<c>/aws/reference/secretsmanager/...</c>).</summary>
    public const string SourceResult = "SourceResult";

    /// <summary>The store kind that reads parameters, and their prefix in a composite store: <c>ssm</c>.</summary>
    public const string StoreKind = "ssm";
}
