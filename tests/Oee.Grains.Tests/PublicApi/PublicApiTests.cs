using System.Runtime.CompilerServices;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.PublicApi;

/// <summary>
/// The public surface of Oee.Grains (what an Orleans client or a silo host may use) is listed in
/// Oee.Grains.approved.txt beside this file: a change to it is deliberate. After a deliberate
/// change, run the tests once with OEE_ACCEPT_PUBLIC_API=1 to rewrite the file, and review its diff.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_surface_is_the_approved_one()
    {
        var actual = PublicSurface.Of(typeof(ITaskGrain).Assembly);
        var path = ApprovedFile();
        if (Environment.GetEnvironmentVariable("OEE_ACCEPT_PUBLIC_API") == "1")
        {
            File.WriteAllLines(path, actual);
        }

        var approved = File.Exists(path) ? File.ReadAllLines(path).ToList() : [];
        var added = actual.Except(approved).ToList();
        var removed = approved.Except(actual).ToList();
        Assert.True(
            added.Count == 0 && removed.Count == 0,
            $"The public surface of Oee.Grains changed. Added:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}\n"
            + "If the change is deliberate, run the tests with OEE_ACCEPT_PUBLIC_API=1 and commit the rewritten Oee.Grains.approved.txt.");
    }

    [Theory]
    [InlineData("Oee.Grains.Queues.IQueueEngineGrain")]
    [InlineData("Oee.Grains.Tasks.ITaskEngineGrain")]
    [InlineData("Oee.Grains.Workers.BodyRunner")]
    [InlineData("Oee.Grains.Client.Orchestrator")]
    [InlineData("Oee.Grains.Tasks.SubmitTaskRequestValidator")]
    [InlineData("Oee.Grains.Queues.QueueEntry")]
    [InlineData("Oee.Grains.Storage.Postgres.PostgresMigrator")]
    public void The_engine_protocol_and_its_machinery_are_internal(string typeName)
    {
        var type = typeof(ITaskGrain).Assembly.GetType(typeName, throwOnError: true)!;
        Assert.False(type.IsVisible, $"{typeName} is part of the engine, not of the public contract.");
    }

    [Fact]
    public void No_public_member_exposes_FluentValidation()
    {
        var leaks = PublicSurface.Of(typeof(ITaskGrain).Assembly).Where(l => l.Contains("FluentValidation", StringComparison.Ordinal)).ToList();
        Assert.Empty(leaks);
    }

    private static string ApprovedFile([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Oee.Grains.approved.txt");
}
