using Microsoft.Extensions.Configuration;

namespace WebApp;

/// <summary>The keys of the <c>surgicase/ses_keys</c> secret, bound from the "Ses" configuration section.</summary>
public sealed class SesOptions
{
    [ConfigurationKeyName("ses_default_from_email")]
    public string? DefaultFromEmail { get; set; }

    [ConfigurationKeyName("ses_region")]
    public string? Region { get; set; }

    [ConfigurationKeyName("ses_configuration_set")]
    public string? ConfigurationSet { get; set; }
}
