using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Tasks;

public sealed class SubmitTaskRequestValidatorTests
{
    private readonly SubmitTaskRequestValidator validator = new(maxInputBytes: 100);

    private static SubmitTaskRequest Valid() => new() { Name = "n", Handler = "echo" };

    [Fact]
    public void A_minimal_request_is_valid() => Assert.Empty(validator.Check(Valid()));

    [Theory]
    [InlineData("id", "has space")]
    [InlineData("id", "")]
    [InlineData("queue", "q/1")]
    [InlineData("handler", "a b")]
    public void Identifiers_outside_the_allowed_characters_name_their_field(string field, string value)
    {
        var request = field switch
        {
            "id" => Valid() with { Id = value },
            "queue" => Valid() with { Queue = value },
            _ => Valid() with { Handler = value },
        };

        Assert.Contains(validator.Check(request), e => e.Field == field);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    [InlineData(365 * 24 * 3600, true)]
    [InlineData(365 * 24 * 3600 + 1, false)]
    public void A_timeout_must_be_more_than_zero_and_at_most_a_year(long seconds, bool valid)
    {
        var errors = validator.Check(Valid() with { Timeout = TimeSpan.FromSeconds(seconds) });
        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal("timeout", Assert.Single(errors).Field);
        }
    }

    [Fact]
    public void Identifiers_of_129_characters_are_refused_and_128_accepted()
    {
        Assert.Contains(validator.Check(Valid() with { Id = new string('a', 129) }), e => e.Field == "id");
        Assert.Empty(validator.Check(Valid() with { Id = new string('a', 128), Queue = new string('q', 128) }));
    }

    [Fact]
    public void A_concurrency_key_is_checked_like_a_tag()
    {
        Assert.Empty(validator.Check(Valid() with { ConcurrencyKey = "tenant-1:eu." + new string('k', 52) }));
        Assert.Contains(validator.Check(Valid() with { ConcurrencyKey = new string('k', 65) }), e => e.Field == "concurrencyKey");
        Assert.Contains(validator.Check(Valid() with { ConcurrencyKey = "" }), e => e.Field == "concurrencyKey");
        Assert.Contains(validator.Check(Valid() with { ConcurrencyKey = "a/b" }), e => e.Field == "concurrencyKey");
    }

    [Fact]
    public void Missing_name_and_handler_are_both_reported()
    {
        var errors = validator.Check(new SubmitTaskRequest());
        Assert.Contains(errors, e => e.Field == "name");
        Assert.Contains(errors, e => e.Field == "handler");
    }

    [Fact]
    public void Name_over_200_characters_is_refused()
    {
        Assert.Contains(validator.Check(Valid() with { Name = new string('n', 201) }), e => e.Field == "name");
        Assert.Empty(validator.Check(Valid() with { Name = new string('n', 200) }));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Priority_outside_0_to_10_is_refused(int priority) =>
        Assert.Contains(validator.Check(Valid() with { Priority = priority }), e => e.Field == "priority");

    [Fact]
    public void Input_over_the_limit_or_not_json_is_refused()
    {
        Assert.Contains(validator.Check(Valid() with { Input = $"\"{new string('x', 100)}\"" }), e => e.Field == "input");
        Assert.Contains(validator.Check(Valid() with { Input = "{not json" }), e => e.Field == "input");
        Assert.Empty(validator.Check(Valid() with { Input = "{\"a\":[1,2]}" }));
    }

    [Fact]
    public void Tags_are_bounded_in_number_and_form()
    {
        Assert.Contains(validator.Check(Valid() with { Tags = [.. Enumerable.Range(0, 21).Select(i => $"t{i}")] }), e => e.Field == "tags");
        Assert.Contains(validator.Check(Valid() with { Tags = ["ok", "not ok"] }), e => e.Field == "tags");
        Assert.Empty(validator.Check(Valid() with { Tags = ["a", "b-c", "d:e"] }));
    }
}

public sealed class SubmitTaskRequestValidatorDependencyTests
{
    private readonly SubmitTaskRequestValidator validator = new(maxInputBytes: 100);

    private static SubmitTaskRequest With(params string[] dependsOn) => new() { Id = "me", Name = "n", Handler = "echo", DependsOn = dependsOn };

    [Fact]
    public void Up_to_a_hundred_distinct_ids_are_valid() =>
        Assert.Empty(validator.Check(With([.. Enumerable.Range(0, TaskLimits.MaxDependencies).Select(i => $"t{i}")])));

    [Theory]
    [InlineData("me", "itself")]
    [InlineData("a b", "must be a task id")]
    [InlineData("", "must be a task id")]
    [InlineData("#0", "only in a batch")]
    public void A_bad_dependency_is_named(string dependency, string says)
    {
        var error = Assert.Single(validator.Check(With("fine", dependency)));
        Assert.Equal("dependsOn", error.Field);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeats_and_more_than_a_hundred_are_refused()
    {
        Assert.Contains("more than once", Assert.Single(validator.Check(With("a", "b", "a"))).Message, StringComparison.Ordinal);
        var tooMany = validator.Check(With([.. Enumerable.Range(0, TaskLimits.MaxDependencies + 1).Select(i => $"t{i}")]));
        Assert.Contains("at most 100", Assert.Single(tooMany).Message, StringComparison.Ordinal);
    }
}
