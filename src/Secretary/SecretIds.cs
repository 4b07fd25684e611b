namespace Secretary;

/// <summary>Validation of secret ids as Secrets Manager accepts them.</summary>
public static class SecretIds
{
    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="secretId"/> is null, empty, too long or has control characters.</summary>
    public static void Validate(string secretId)
    {
        if (secretId is null)
        {
            throw new ArgumentNullException(nameof(secretId), "A secret id is required.");
        }

        if (!IsValid(secretId))
        {
            throw new ArgumentException(
                $"A secret id must be 1 to {SecretRequest.MaxSecretIdLength} characters with no control characters.", nameof(secretId));
        }
    }

    /// <summary>True when <paramref name="secretId"/> is 1 to 2048 characters with no control characters.</summary>
    public static bool IsValid(string? secretId)
    {
        if (string.IsNullOrEmpty(secretId) || secretId.Length > SecretRequest.MaxSecretIdLength)
        {
            return false;
        }

        foreach (var c in secretId)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
