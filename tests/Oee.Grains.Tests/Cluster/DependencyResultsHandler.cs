using System.Text.Json;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// <c>dependency-results</c>: a body that returns what its context says about its dependencies, an
/// object of dependency id → result (as JSON), so that a test reads what the handler saw.
/// Input: any JSON object (ignored).
/// </summary>
public sealed class DependencyResultsHandler : TaskHandler<JsonElement, Dictionary<string, JsonElement?>>
{
    public const string Name = "dependency-results";

    protected override Task<Dictionary<string, JsonElement?>> HandleAsync(JsonElement input, TaskContext context) =>
        Task.FromResult(context.DependencyResults.ToDictionary(
            r => r.Key,
            r => context.GetDependencyResult<JsonElement?>(r.Key)));
}
