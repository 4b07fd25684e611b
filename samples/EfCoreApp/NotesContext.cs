using Microsoft.EntityFrameworkCore;

namespace EfCoreApp;

/// <summary>A one-table model: enough to show EF Core reading and writing through the rotating credentials.</summary>
public sealed class NotesContext(DbContextOptions<NotesContext> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();
}
