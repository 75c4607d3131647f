using System.Globalization;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>
/// The dependency graph of one batch, pure: <c>#i</c> references resolved to ids, cycles found
/// (and named), and the order in which the batch's tasks can be submitted so that every task's
/// batch dependencies exist before it (layers). Tasks are nodes by id; a dependency on an id that
/// no task of the batch has points outside the batch and plays no part here.
/// </summary>
internal static class BatchGraph
{
    /// <summary>
    /// Replaces each <c>#i</c> dependency with the id of <c>requests[i]</c> (every request must have
    /// its id already). A reference to no task of the batch, or to the task itself, is an error
    /// named <c>tasks[i].dependsOn</c>; such a reference is left as it was.
    /// </summary>
    public static SubmitTaskRequest[] ResolveReferences(IReadOnlyList<SubmitTaskRequest> requests, List<FieldError> errors)
    {
        var resolved = new SubmitTaskRequest[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.DependsOn is not { Length: > 0 } dependsOn || !dependsOn.Any(IsReference))
            {
                resolved[i] = request;
                continue;
            }

            var ids = new string[dependsOn.Length];
            for (var j = 0; j < dependsOn.Length; j++)
            {
                ids[j] = dependsOn[j];
                if (!IsReference(dependsOn[j]))
                {
                    continue;
                }

                if (!TryIndex(dependsOn[j], requests.Count, out var target))
                {
                    errors.Add(new FieldError($"tasks[{i}].dependsOn", $"'{dependsOn[j]}' names no task of this batch: write #0 to #{requests.Count - 1} for tasks[0] to tasks[{requests.Count - 1}]."));
                }
                else if (target == i)
                {
                    errors.Add(new FieldError($"tasks[{i}].dependsOn", $"'{dependsOn[j]}' names the task itself: a task cannot depend on itself (a cycle)."));
                }
                else
                {
                    ids[j] = requests[target].Id!;
                }
            }

            resolved[i] = request with { DependsOn = ids };
        }

        return resolved;
    }

    /// <summary>
    /// The first dependency cycle among the batch's tasks, as an error on <c>tasks[i].dependsOn</c>
    /// of a task on it whose message lists the cycle (<c>a → b → a</c>); null when there is none.
    /// </summary>
    public static FieldError? FindCycle(IReadOnlyList<SubmitTaskRequest> requests)
    {
        var nodes = Nodes(requests);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the current path, 2: done
        var path = new List<string>();
        foreach (var start in nodes.Keys)
        {
            if (Visit(start, nodes, state, path) is { } cycle)
            {
                var index = nodes[cycle[0]].Index;
                return new FieldError($"tasks[{index}].dependsOn", $"The batch's dependencies form a cycle: {string.Join(" → ", cycle)}. A task can run only after its dependencies, so none of these could.");
            }
        }

        return null;
    }

    /// <summary>
    /// For each request, its layer: 0 when it depends on no task of the batch, else one more than the
    /// highest layer among its batch dependencies. Submitting layer by layer submits every task
    /// after its batch dependencies. The graph must have no cycle (<see cref="FindCycle"/>).
    /// </summary>
    public static int[] Layers(IReadOnlyList<SubmitTaskRequest> requests)
    {
        var nodes = Nodes(requests);
        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in nodes.Keys)
        {
            LayerOf(id, nodes, layers);
        }

        return [.. requests.Select(r => r.Id is { } id && layers.TryGetValue(id, out var layer) ? layer : 0)];
    }

    /// <summary>True when a dependency is written as a batch reference (<c>#i</c>).</summary>
    public static bool IsReference(string? dependency) =>
        dependency?.StartsWith(TaskLimits.BatchReferencePrefix, StringComparison.Ordinal) == true;

    private static bool TryIndex(string reference, int count, out int index) =>
        int.TryParse(reference.AsSpan(TaskLimits.BatchReferencePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out index)
        && index < count;

    /// <summary>Each id of the batch (its first request's index) and the batch ids it depends on.</summary>
    private static Dictionary<string, (int Index, List<string> Edges)> Nodes(IReadOnlyList<SubmitTaskRequest> requests)
    {
        var nodes = new Dictionary<string, (int Index, List<string> Edges)>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i]?.Id is { } id && !nodes.ContainsKey(id))
            {
                nodes[id] = (i, []);
            }
        }

        foreach (var request in requests)
        {
            if (request?.Id is { } id && request.DependsOn is { } dependsOn)
            {
                nodes[id].Edges.AddRange(dependsOn.Where(d => d is not null && nodes.ContainsKey(d)));
            }
        }

        return nodes;
    }

    // Depth-first; a batch holds at most TaskLimits.MaxBatchSize tasks, so the recursion is at most that deep.
    private static List<string>? Visit(string id, Dictionary<string, (int Index, List<string> Edges)> nodes, Dictionary<string, int> state, List<string> path)
    {
        switch (state.GetValueOrDefault(id))
        {
            case 2:
                return null;
            case 1:
                return [.. path.Skip(path.IndexOf(id)), id];
        }

        state[id] = 1;
        path.Add(id);
        foreach (var next in nodes[id].Edges)
        {
            if (Visit(next, nodes, state, path) is { } cycle)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        state[id] = 2;
        return null;
    }

    private static int LayerOf(string id, Dictionary<string, (int Index, List<string> Edges)> nodes, Dictionary<string, int> layers)
    {
        if (layers.TryGetValue(id, out var known))
        {
            return known;
        }

        var layer = 0;
        foreach (var dependency in nodes[id].Edges)
        {
            layer = Math.Max(layer, LayerOf(dependency, nodes, layers) + 1);
        }

        layers[id] = layer;
        return layer;
    }
}
