namespace Secretary.Emulator.Internals.ParameterStore;

/// <summary>One parameter: its versions (oldest first, at most 100), its tags and its ARN.</summary>
internal sealed class ParameterRecord
{
    public ParameterRecord(string name, string arn)
    {
        Name = name;
        Arn = arn;
    }

    public string Name { get; }

    public string Arn { get; }

    public List<ParameterVersionRecord> Versions { get; } = [];

    /// <summary>Tags in the order they were added (a key added again keeps its place).</summary>
    public List<KeyValuePair<string, string>> Tags { get; } = [];

    public ParameterVersionRecord Latest => Versions[^1];

    public ParameterVersionRecord? Version(long version) => Versions.Find(v => v.Version == version);

    public ParameterVersionRecord? Labelled(string label) => Versions.Find(v => v.Labels.Contains(label, StringComparer.Ordinal));
}
