namespace EfCoreApp;

public sealed class Note
{
    public int Id { get; set; }

    public required string Text { get; set; }
}
