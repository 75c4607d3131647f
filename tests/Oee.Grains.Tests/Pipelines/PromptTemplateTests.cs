using Oee.Grains.Contracts;
using Oee.Grains.Pipelines;

namespace Oee.Grains.Tests.Pipelines;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Renders_the_input_and_earlier_outputs()
    {
        var template = PromptTemplate.Parse("Q: {{input}} / A: {{ stages.first.output }}!", out var problem)!;

        Assert.Null(problem);
        Assert.Equal("Q: in / A: out!", template.Render("in", new Dictionary<string, string> { ["first"] = "out" }));
        Assert.Equal(["first"], template.StageReferences);
        Assert.Equal(1, template.InputReferences);
    }

    [Fact]
    public void The_rendered_size_is_counted_in_utf8_bytes_without_rendering()
    {
        var template = PromptTemplate.Parse("é {{input}}{{stages.a.output}}{{stages.a.output}}", out _)!;

        // "é " is 3 bytes, the input 2 (once), "ü" 2 (twice).
        Assert.Equal(3 + 2 + 2 + 2, template.RenderedBytes("in", new Dictionary<string, string> { ["a"] = "ü" }));
        Assert.Equal(9, System.Text.Encoding.UTF8.GetByteCount(template.Render("in", new Dictionary<string, string> { ["a"] = "ü" })));
    }

    [Fact]
    public void An_unknown_reference_is_refused()
    {
        Assert.Null(PromptTemplate.Parse("{{stages.a.input}}", out var problem));
        Assert.Contains("{{stages.a.input}}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_template_is_the_input_then_the_previous_output() =>
        Assert.Equal(["{{input}}", "{{stages.a.output}}"], [PromptTemplate.DefaultFor(null), PromptTemplate.DefaultFor("a")]);

    [Theory]
    [InlineData(PipelineCheckKind.NonEmpty, null, " \n", false)]
    [InlineData(PipelineCheckKind.NonEmpty, null, "x", true)]
    [InlineData(PipelineCheckKind.Regex, "^[A-Z]+$", "ABC", true)]
    [InlineData(PipelineCheckKind.Regex, "^[A-Z]+$", "AbC", false)]
    [InlineData(PipelineCheckKind.Json, null, "{\"a\": 1}", true)]
    [InlineData(PipelineCheckKind.Json, null, "{a: 1}", false)]
    public void Declared_checks(PipelineCheckKind kind, string? pattern, string output, bool passes) =>
        Assert.Equal(passes, OutputChecks.Problem(new PipelineCheck { Kind = kind, Pattern = pattern }, output) is null);

    [Fact]
    public void A_validator_approves_with_yes() =>
        Assert.Equal([true, true, false], new[] { "YES", "  yes, it is", "No" }.Select(OutputChecks.Approves));
}
