using System.Text.Json;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Errors;
using Oee.Grains.Handlers;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A dependent's body reads its dependencies' results before it begins (<c>WorkerGrain</c>). That read ends as the body
/// would: stopped by the attempt's token (its timeout, a cancel) as the token says, and failing (a dependency's storage
/// failed) as a failed attempt naming the read, which a retry policy retries. Before, both were "the worker could not
/// run the body", of the exception's type: a timeout was no <c>Timeout</c>, and a drain failed the task.
/// </summary>
public sealed class DependencyReadTests(FaultClusterFixture fixture) : IClassFixture<FaultClusterFixture>
{
    private const string GetDoneResult = nameof(ITaskEngineGrain.GetDoneResult);

    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task A_dependent_whose_time_runs_out_while_it_reads_its_dependencies_ends_in_error_of_type_timeout()
    {
        var dependency = await DoneDependency();
        fixture.Faults.Hold(GetDoneResult, dependency);
        try
        {
            // The read hangs until the attempt's token fires: its timeout.
            var dependent = await SubmitDependent(dependency, r => r with { Timeout = TimeSpan.FromSeconds(1), MaxAttempts = 1 });
            await Waiting.Until(() => fixture.Faults.Seen(GetDoneResult, dependency) >= 1, "the dependent to read its dependency's result");

            var failed = await Orchestrator.ForStatus(dependent, OeeTaskStatus.Error);
            Assert.Equal(TaskOutcome.TimeoutErrorType, failed.Error!.Type);
            Assert.Contains("timeout", failed.Error.Message, StringComparison.Ordinal);
            Assert.Equal(1, failed.Attempt);
        }
        finally
        {
            fixture.Faults.Clear(GetDoneResult, dependency);
        }
    }

    [Fact]
    public async Task A_dependent_cancelled_while_it_reads_its_dependencies_ends_cancelled()
    {
        var dependency = await DoneDependency();
        fixture.Faults.Hold(GetDoneResult, dependency);
        try
        {
            var dependent = await SubmitDependent(dependency, r => r);
            await Waiting.Until(() => fixture.Faults.Seen(GetDoneResult, dependency) >= 1, "the dependent to read its dependency's result");

            await Orchestrator.CancelAsync(dependent);
            var cancelled = await Orchestrator.ForStatus(dependent, OeeTaskStatus.Cancelled);
            Assert.Null(cancelled.Error);
        }
        finally
        {
            fixture.Faults.Clear(GetDoneResult, dependency);
        }
    }

    [Fact]
    public async Task A_dependency_read_that_fails_on_storage_fails_the_attempt_with_a_message_naming_the_read()
    {
        var dependency = await DoneDependency();
        var blip = new OeeStorageUnavailableException("connection reset", "Npgsql.NpgsqlException", "reading task " + dependency);
        fixture.Faults.Fail(GetDoneResult, dependency, blip);
        try
        {
            var dependent = await SubmitDependent(dependency, r => r with { MaxAttempts = 1 });

            var failed = await Orchestrator.ForStatus(dependent, OeeTaskStatus.Error);
            Assert.Equal(typeof(OeeStorageUnavailableException).FullName, failed.Error!.Type);
            Assert.StartsWith("The results of the task's dependencies could not be read", failed.Error.Message, StringComparison.Ordinal);
            Assert.Contains("connection reset", failed.Error.Message, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Faults.Clear(GetDoneResult, dependency);
        }
    }

    [Fact]
    public async Task A_dependency_read_that_failed_once_is_retried_under_a_transient_retry_policy_and_the_body_sees_the_result()
    {
        var dependency = await DoneDependency();
        var blip = new OeeStorageUnavailableException("connection reset", "Npgsql.NpgsqlException", "reading task " + dependency);
        fixture.Faults.Fail(GetDoneResult, dependency, blip, times: 1);
        try
        {
            var dependent = await SubmitDependent(dependency, r => r with
            {
                MaxAttempts = 2,
                Retry = new RetryPolicy { RetryOn = RetryOn.Transient, InitialDelay = TimeSpan.Zero, Jitter = 0 },
            });

            var done = await Orchestrator.ForStatus(dependent, OeeTaskStatus.Done);
            Assert.Equal(2, done.Attempt);
            Assert.Equal("from the dependency", JsonSerializer.Deserialize<Dictionary<string, string>>(done.Result!)![dependency]);
        }
        finally
        {
            fixture.Faults.Clear(GetDoneResult, dependency);
        }
    }

    private async Task<string> DoneDependency()
    {
        var id = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "dependency", Handler = "echo", Input = "\"from the dependency\"", Queue = Waiting.Unique("read") })).Task.Id;
        await Orchestrator.ForStatus(id, OeeTaskStatus.Done);
        return id;
    }

    private async Task<string> SubmitDependent(string dependency, Func<SubmitTaskRequest, SubmitTaskRequest> shape) =>
        (await Orchestrator.SubmitAsync(shape(new SubmitTaskRequest
        {
            Name = "dependent",
            Handler = DependencyResultsHandler.Name,
            Input = "{}",
            Queue = Waiting.Unique("read"),
            DependsOn = [dependency],
        }))).Task.Id;
}
