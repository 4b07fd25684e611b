namespace Secretary.Reliability.Tests;

/// <summary>One generated operation: its kind, the key it is about, a number of seconds and a free pick.</summary>
internal sealed record CacheOp(CacheOpKind Kind, int Key, int Seconds, int Pick)
{
    public override string ToString() => $"{Kind}({CacheModel.Keys[Key]},{Seconds},{Pick})";
}
