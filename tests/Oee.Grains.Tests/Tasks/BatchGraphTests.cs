using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Tasks;

public sealed class BatchGraphTests
{
    private static SubmitTaskRequest Task(string id, params string[] dependsOn) =>
        new() { Id = id, Name = id, Handler = "echo", DependsOn = dependsOn.Length == 0 ? null : dependsOn };

    [Fact]
    public void A_diamond_has_no_cycle_and_three_layers()
    {
        SubmitTaskRequest[] diamond = [Task("d", "b", "c"), Task("b", "a"), Task("c", "a"), Task("a")];

        Assert.Null(BatchGraph.FindCycle(diamond));
        Assert.Equal([2, 1, 1, 0], BatchGraph.Layers(diamond));
    }

    [Fact]
    public void Dependencies_outside_the_batch_play_no_part_in_the_graph()
    {
        SubmitTaskRequest[] batch = [Task("b", "stored-1"), Task("c", "b", "stored-2")];

        Assert.Null(BatchGraph.FindCycle(batch));
        Assert.Equal([0, 1], BatchGraph.Layers(batch));
    }

    [Fact]
    public void A_cycle_is_named_on_a_task_of_it_with_its_path()
    {
        SubmitTaskRequest[] batch = [Task("root"), Task("x", "root", "z"), Task("y", "x"), Task("z", "y")];

        var cycle = BatchGraph.FindCycle(batch);

        Assert.NotNull(cycle);
        Assert.Equal("tasks[1].dependsOn", cycle.Field);
        Assert.Contains("x → z → y → x", cycle.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_tasks_naming_each_other_are_a_cycle()
    {
        var cycle = BatchGraph.FindCycle([Task("a", "b"), Task("b", "a")]);
        Assert.Contains("a → b → a", cycle!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fan_out_of_a_thousand_is_two_layers()
    {
        var batch = new[] { Task("root") }.Concat(Enumerable.Range(0, 999).Select(i => Task($"leaf-{i}", "root"))).ToArray();

        Assert.Null(BatchGraph.FindCycle(batch));
        var layers = BatchGraph.Layers(batch);
        Assert.Equal(0, layers[0]);
        Assert.All(layers.Skip(1), l => Assert.Equal(1, l));
    }

    [Fact]
    public void A_chain_of_a_thousand_has_a_layer_per_task()
    {
        var batch = Enumerable.Range(0, 1000).Select(i => i == 0 ? Task("t0") : Task($"t{i}", $"t{i - 1}")).Reverse().ToArray();

        Assert.Null(BatchGraph.FindCycle(batch));
        Assert.Equal(Enumerable.Range(0, 1000).Reverse(), BatchGraph.Layers(batch));
    }

    [Fact]
    public void References_by_index_become_the_ids_of_those_tasks()
    {
        var errors = new List<FieldError>();
        var resolved = BatchGraph.ResolveReferences([Task("a"), Task("b", "#0", "stored"), Task("c", "#1", "#0")], errors);

        Assert.Empty(errors);
        Assert.Equal(["a", "stored"], resolved[1].DependsOn!);
        Assert.Equal(["b", "a"], resolved[2].DependsOn!);
        Assert.Null(resolved[0].DependsOn);
    }

    [Theory]
    [InlineData("#3", "names no task of this batch")]
    [InlineData("#-1", "names no task of this batch")]
    [InlineData("#x", "names no task of this batch")]
    [InlineData("#", "names no task of this batch")]
    [InlineData("#1", "names the task itself")]
    public void A_bad_reference_is_named_on_its_task(string reference, string says)
    {
        var errors = new List<FieldError>();
        var resolved = BatchGraph.ResolveReferences([Task("a"), Task("b", reference), Task("c")], errors);

        var error = Assert.Single(errors);
        Assert.Equal("tasks[1].dependsOn", error.Field);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Equal([reference], resolved[1].DependsOn!);
    }
}
