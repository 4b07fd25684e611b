namespace Secretary.Reliability.Tests;

/// <summary>What one generated operation of a cache property does.</summary>
internal enum CacheOpKind
{
    Get,
    Lookup,
    LookupTtl,
    LookupPrevious,
    LookupVersion,
    LookupMaxStale,
    Refresh,
    Warm,
    ClearOne,
    ClearAll,
    Advance,
    SetValue,
    Delete,
    Deny,
    FaultOn,
    FaultOff,
    InvalidRead,
}
