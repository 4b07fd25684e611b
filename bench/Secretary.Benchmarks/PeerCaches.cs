using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Secretary.Bench;
using ZiggyCreatures.Caching.Fusion;

namespace Secretary.Benchmarks;

/// <summary>
/// Every contender over one in-memory store, each warmed with the three secrets the hit
/// benchmarks read. Peers cache the <see cref="Secret"/> (HybridCache an immutable box of it),
/// so a JSON key read costs them the same lazily parsed lookup it costs Secretary.
/// </summary>
internal sealed class PeerCaches : IDisposable
{
    public const string StringId = "surgicase/api-signing-key";
    public const string JsonId = "surgicase/main";
    public const string JsonKey = "COMPRESSION_MODE";
    public const string BinaryId = "surgicase/tls-key";

    private static readonly TimeSpan Ttl = TimeSpan.FromDays(1);

    private readonly ServiceProvider _services;
    private readonly Func<ICacheEntry, Task<Secret>> _memoryFactory;
    private readonly Dictionary<string, Func<FusionCacheFactoryExecutionContext<Secret>, CancellationToken, Task<Secret>>> _fusionFactories = new();

    public PeerCaches()
    {
        Store = new InMemoryStore()
            .Add(StringId, "dev-signing-key-0000000000000000")
            .Add(JsonId, """{"COMPRESSION_MODE":"normal","SCHEDULER_ENABLED":"true"}""")
            .AddBinary(BinaryId, new byte[256]);
        Secretary = Contenders.CreateSecretary(Store, Ttl);
        Seed = new SeedStyleCache(Store, defaultTtlSeconds: Ttl.TotalSeconds);
        Memory = Contenders.CreateMemoryCache();
        Fusion = Contenders.CreateFusion(Ttl);
        (Hybrid, _services) = Contenders.CreateHybrid(Ttl);
        var store = Store;
        _memoryFactory = entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Ttl;
            return store.GetSecretAsync(new SecretRequest((string)entry.Key));
        };
        foreach (var id in new[] { StringId, JsonId, BinaryId })
        {
            _fusionFactories[id] = (_, ct) => store.GetSecretAsync(new SecretRequest(id), ct);
            Secretary.GetAsync(id).AsTask().GetAwaiter().GetResult();
            Seed.GetSecret(id);
            MemoryGet(id).GetAwaiter().GetResult();
            FusionGet(id).AsTask().GetAwaiter().GetResult();
            HybridGet(id).AsTask().GetAwaiter().GetResult();
        }

        // The JSON is parsed on the first key read; do it outside the measurement for everyone.
        _ = Secretary.GetValueAsync(JsonId, JsonKey).AsTask().GetAwaiter().GetResult();
        _ = MemoryGet(JsonId).Result.GetValue(JsonKey);
    }

    public InMemoryStore Store { get; }

    public SecretCache Secretary { get; }

    public SeedStyleCache Seed { get; }

    public MemoryCache Memory { get; }

    public FusionCache Fusion { get; }

    public HybridCache Hybrid { get; }

    public Task<Secret> MemoryGet(string id) => Memory.GetOrCreateAsync(id, _memoryFactory)!;

    public ValueTask<Secret> FusionGet(string id) => Fusion.GetOrSetAsync(id, _fusionFactories[id], default(MaybeValue<Secret>));

    public ValueTask<SecretBox> HybridGet(string id) =>
        Hybrid.GetOrCreateAsync(
            id,
            (Store, id),
            static async (state, ct) => new SecretBox(await state.Store.GetSecretAsync(new SecretRequest(state.id), ct).ConfigureAwait(false)));

    public void Dispose()
    {
        Secretary.Dispose();
        Memory.Dispose();
        Fusion.Dispose();
        _services.Dispose();
    }
}
