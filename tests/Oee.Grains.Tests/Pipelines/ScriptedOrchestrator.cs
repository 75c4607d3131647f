using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Models;

namespace Oee.Grains.Tests.Pipelines;

/// <summary>
/// The <see cref="IOrchestrator"/> a pipeline's stage calls use, scripted: it records submits and cancels and answers
/// each wait as <see cref="Wait"/> says (by default: the stage task is done, its model echoing the prompt). It lets a
/// test make waiting fail as no in-process cluster can on demand (an outage of the cluster or its storage, a task
/// removed while waited on). Only the three calls the stage calls make are answered.
/// </summary>
public class ScriptedOrchestrator : DispatchProxy
{
    private readonly ConcurrentDictionary<string, int> waits = new(StringComparer.Ordinal);

    /// <summary>Every stage task submitted, in order.</summary>
    public ConcurrentQueue<SubmitTaskRequest> Submitted { get; } = new();

    /// <summary>The ids of the tasks cancelled, in order.</summary>
    public ConcurrentQueue<string> Cancelled { get; } = new();

    /// <summary>How one wait for a submitted task goes; the default answers <see cref="Echo"/>.</summary>
    public Func<SubmitTaskRequest, CancellationToken, Task<TaskRecord>> Wait { get; set; } = (request, _) => Task.FromResult(Echo(request));

    /// <summary>A new orchestrator and its script.</summary>
    public static (IOrchestrator Orchestrator, ScriptedOrchestrator Script) Start()
    {
        var orchestrator = Create<IOrchestrator, ScriptedOrchestrator>();
        return (orchestrator, (ScriptedOrchestrator)(object)orchestrator);
    }

    /// <summary>How many waits were asked for the task.</summary>
    public int WaitsFor(string id) => waits.GetValueOrDefault(id);

    /// <summary>The prompt a stage task was submitted with.</summary>
    public static ModelPrompt PromptOf(SubmitTaskRequest request) => JsonSerializer.Deserialize<ModelPrompt>(request.Input!, TaskJson.Options)!;

    /// <summary>The task done, its model answering <paramref name="output"/>.</summary>
    public static TaskRecord Done(SubmitTaskRequest request, string output) => new()
    {
        Id = request.Id!,
        Name = request.Name,
        Handler = request.Handler,
        Queue = request.Queue ?? "pipeline-stages",
        Status = OeeTaskStatus.Done,
        Result = JsonSerializer.Serialize(new ModelReply { Model = PromptOf(request).Model!, Output = output, InputTokens = 1, OutputTokens = 1 }, TaskJson.Options),
    };

    /// <summary>The task done, its model echoing the prompt.</summary>
    public static TaskRecord Echo(SubmitTaskRequest request) => Done(request, PromptOf(request).Prompt);

    /// <summary>A wait that ends only when cancelled.</summary>
    public static async Task<TaskRecord> Hang(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("Not reached.");
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
    {
        nameof(IOrchestrator.SubmitAsync) => Submit((SubmitTaskRequest)args![0]!),
        nameof(IOrchestrator.WaitAsync) => WaitFor((string)args![0]!, (CancellationToken)args[1]!),
        nameof(IOrchestrator.CancelAsync) => Cancel((string)args![0]!),
        _ => throw new NotSupportedException($"The scripted orchestrator does not answer {targetMethod?.Name}."),
    };

    private Task<SubmittedTask> Submit(SubmitTaskRequest request)
    {
        Submitted.Enqueue(request);
        return Task.FromResult(new SubmittedTask(new TaskRecord { Id = request.Id!, Name = request.Name, Handler = request.Handler, Queue = request.Queue ?? "" }, Created: true));
    }

    private Task<TaskRecord> WaitFor(string id, CancellationToken cancellationToken)
    {
        waits.AddOrUpdate(id, 1, (_, n) => n + 1);
        return Wait(Submitted.Single(r => r.Id == id), cancellationToken);
    }

    private Task<CancelResult> Cancel(string id)
    {
        Cancelled.Enqueue(id);
        return Task.FromResult(new CancelResult(CancelStatus.CancellationRequested, null));
    }
}
