using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Secretary.Npgsql;

namespace EfCoreApp;

/// <summary>
/// EF Core opens the connections it creates itself; this opens them through <see cref="SecretaryNpgsqlDataSource.OpenAsync"/>
/// instead, which refreshes the credentials and retries once when PostgreSQL refuses the login (28P01).
/// </summary>
public sealed class SecretaryConnectionInterceptor(SecretaryNpgsqlDataSource dataSource) : DbConnectionInterceptor
{
    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await dataSource.OpenAsync((NpgsqlConnection)connection, cancellationToken);
        return InterceptionResult.Suppress(); // opened here: EF Core does not open it again
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        dataSource.OpenAsync((NpgsqlConnection)connection).AsTask().GetAwaiter().GetResult();
        return InterceptionResult.Suppress();
    }
}
