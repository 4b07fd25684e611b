using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <content>GetRandomPassword.</content>
internal sealed partial class SecretOperations
{
    private static JsonObject GetRandomPassword(RequestInput input)
    {
        var length = input.Long("PasswordLength", 1, 4096) ?? EmulatorConstants.DefaultPasswordLength;
        var password = PasswordGenerator.Generate(
            (int)length,
            input.String("ExcludeCharacters", 0, 4096),
            input.Bool("ExcludeNumbers") ?? false,
            input.Bool("ExcludePunctuation") ?? false,
            input.Bool("ExcludeUppercase") ?? false,
            input.Bool("ExcludeLowercase") ?? false,
            input.Bool("IncludeSpace") ?? false,
            input.Bool("RequireEachIncludedType") ?? true);
        return new JsonObject { ["RandomPassword"] = password };
    }
}
