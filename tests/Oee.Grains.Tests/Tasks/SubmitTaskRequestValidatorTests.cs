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
