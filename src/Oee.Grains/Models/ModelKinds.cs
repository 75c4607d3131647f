using Oee.Grains.Contracts;

namespace Oee.Grains.Models;

/// <summary>The configuration names of <see cref="ModelKind"/>: <c>builtin</c>, <c>openai</c>, <c>handler</c>.</summary>
internal static class ModelKinds
{
    /// <summary>The accepted names, for messages.</summary>
    public const string Names = "builtin, openai, handler";

    /// <summary>The kind a configuration value names (any case), or null.</summary>
    public static ModelKind? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "builtin" => ModelKind.BuiltIn,
        "openai" => ModelKind.OpenAi,
        "handler" => ModelKind.Handler,
        _ => null,
    };

    /// <summary>The configuration name of a kind.</summary>
    public static string NameOf(ModelKind kind) => kind switch
    {
        ModelKind.OpenAi => "openai",
        ModelKind.Handler => "handler",
        _ => "builtin",
    };
}
