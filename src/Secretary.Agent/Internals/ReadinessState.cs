namespace Secretary.Agent.Internals;

/// <summary>Which required secrets are cached yet; <c>/readyz</c> reads it.</summary>
internal sealed class ReadinessState(IReadOnlyCollection<string> required)
{
    private volatile IReadOnlyCollection<string> _missing = required;

    public int Required { get; } = required.Count;

    public int Missing => _missing.Count;

    public bool IsReady => _missing.Count == 0;

    public IReadOnlyCollection<string> MissingSecrets => _missing;

    public void Update(IReadOnlyCollection<string> missing) => _missing = missing;
}
