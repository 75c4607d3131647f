using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.GeneratedCodeHelpers;
using Orleans.Serialization.Serializers;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// The generated copiers are in the container once each, so that grain references (one per task) take
/// them from there instead of building new ones, and they copy as Orleans' own copiers do.
/// </summary>
public sealed class SharedCopiersTests
{
    [Fact]
    public void The_copiers_of_the_contracts_are_found()
    {
        var copied = SharedCopiers.GeneratedCopiers()
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDeepCopier<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();

        Assert.Contains(typeof(SubmitTaskRequest), copied);
        Assert.Contains(typeof(TaskRecord), copied);
        Assert.Contains(typeof(SubmitResult), copied);
    }

    [Fact]
    public void A_grain_reference_gets_the_one_shared_copier_and_it_copies_deeply()
    {
        using var services = new ServiceCollection().AddSerializer().AddOeeSharedCopiers().BuildServiceProvider();
        var codecs = services.GetRequiredService<ICodecProvider>();
        var copierType = SharedCopiers.GeneratedCopiers().Single(t => t.GetInterfaces().Contains(typeof(IDeepCopier<SubmitTaskRequest>)));

        // What a generated grain reference does in its constructor, twice (two references).
        var first = Resolve(copierType, codecs);
        var second = Resolve(copierType, codecs);
        Assert.Same(first, second);

        var request = new SubmitTaskRequest
        {
            Name = "n",
            Handler = "echo",
            Input = "{\"a\":1}",
            Tags = ["x", "y"],
            Retry = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(3), Multiplier = 3 },
        };
        var copy = ((IDeepCopier<SubmitTaskRequest>)first).DeepCopy(request, services.GetRequiredService<CopyContextPool>().GetContext());

        Assert.NotSame(request, copy);
        Assert.NotSame(request.Tags, copy.Tags);
        Assert.Equal(request.Tags, copy.Tags);
        Assert.Equal(request.Retry, copy.Retry);
        Assert.Equal(request.Input, copy.Input);
    }

    [Fact]
    public void Collection_copiers_are_shared_too_and_copy_their_elements()
    {
        using var services = new ServiceCollection().AddSerializer().AddOeeSharedCopiers().BuildServiceProvider();
        var codecs = services.GetRequiredService<ICodecProvider>();

        var ids = Resolve(typeof(ArrayCopier<string>), codecs);
        Assert.Same(ids, Resolve(typeof(ArrayCopier<string>), codecs));
        var records = (ArrayCopier<TaskRecord>)Resolve(typeof(ArrayCopier<TaskRecord>), codecs);
        Assert.Same(records, Resolve(typeof(ArrayCopier<TaskRecord>), codecs));
        var lists = (ListCopier<TaskSummary>)Resolve(typeof(ListCopier<TaskSummary>), codecs);
        var maps = (DictionaryCopier<string, string>)Resolve(typeof(DictionaryCopier<string, string>), codecs);

        var pool = services.GetRequiredService<CopyContextPool>();
        var record = new TaskRecord { Id = "t1", Name = "n", Handler = "echo", Queue = "q", Tags = ["a"] };
        var copied = records.DeepCopy([record], pool.GetContext());
        Assert.NotSame(record, copied[0]);
        Assert.NotSame(record.Tags, copied[0].Tags);
        Assert.Equal("t1", copied[0].Id);
        Assert.Empty(lists.DeepCopy([], pool.GetContext()));
        var map = new Dictionary<string, string> { ["k"] = "v" };
        Assert.Equal(map, maps.DeepCopy(map, pool.GetContext()));
    }

    private static object Resolve(Type copierType, ICodecProvider codecs) =>
        typeof(OrleansGeneratedCodeHelper).GetMethod(nameof(OrleansGeneratedCodeHelper.GetService))!
            .MakeGenericMethod(copierType)
            .Invoke(null, [new object(), codecs])!;
}
