namespace Secretary.Internals;

/// <summary>Which budget an entry counts against.</summary>
internal enum EntryClass : byte
{
    /// <summary>Created, first fetch under way: in no ring yet.</summary>
    New,

    /// <summary>Holds a value: counts against <see cref="SecretCacheOptions.MaxEntries"/>.</summary>
    Valued,

    /// <summary>Holds no value after a fetch (not found, access denied, a failed first read): counts against <see cref="SecretCacheOptions.MaxNegativeEntries"/>.</summary>
    Valueless,
}
