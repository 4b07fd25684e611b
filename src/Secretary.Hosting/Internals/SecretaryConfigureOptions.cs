using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Secretary.Hosting.Internals;

/// <summary>Binds <see cref="SecretaryOptions"/> from the <c>Secretary</c> section of the host's configuration, when there is one.</summary>
internal sealed class SecretaryConfigureOptions(IConfiguration? configuration = null) : IConfigureOptions<SecretaryOptions>
{
    public void Configure(SecretaryOptions options)
    {
        configuration?.GetSection(SecretaryOptions.SectionName).Bind(options);
    }
}
