namespace Secretary;

/// <summary>The error categories of the original specification, one per typed exception.</summary>
public enum SecretErrorCategory
{
    /// <summary>The secret (or the requested version) does not exist. <see cref="SecretNotFoundException"/>.</summary>
    NotFound,

    /// <summary>The request is not valid for the secret's state, e.g. it is marked for deletion. <see cref="SecretRequestException"/>.</summary>
    InvalidRequest,

    /// <summary>A parameter is invalid: a malformed name, an unknown region. <see cref="SecretParameterException"/>.</summary>
    InvalidParameter,

    /// <summary>The value is not in the expected format (JSON access on a non-JSON secret). <see cref="SecretFormatException"/>.</summary>
    Format,

    /// <summary>The store could not be reached, timed out, throttled or failed (transient). <see cref="SecretStoreUnavailableException"/>.</summary>
    StoreUnavailable,

    /// <summary>The caller may not read the secret, or it cannot be decrypted. <see cref="SecretAccessDeniedException"/>.</summary>
    AccessDenied,
}
