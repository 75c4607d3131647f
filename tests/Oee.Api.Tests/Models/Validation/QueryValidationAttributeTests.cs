using System.ComponentModel.DataAnnotations;
using Oee.Api.Models;
using Oee.Api.Models.Validation;
using Oee.Grains.Contracts;

namespace Oee.Api.Tests.Models.Validation;

/// <summary>The validation attributes of query and path values, without a server.</summary>
public sealed class QueryValidationAttributeTests
{
    private static string? Error(ValidationAttribute attribute, string name, object? value) =>
        attribute.GetValidationResult(value, new ValidationContext(new object()) { DisplayName = name, MemberName = name })?.ErrorMessage;

    [Theory]
    [InlineData("a")]
    [InlineData("A-z_0.9:x")]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("é")]
    [InlineData("abc\n")]
    [InlineData("\nabc")]
    public void The_identifier_pattern_agrees_with_TaskLimits(string value)
    {
        foreach (var maxLength in new[] { TaskLimits.MaxIdentifierLength, TaskLimits.MaxTagLength })
        {
            var attribute = new IdentifierAttribute(maxLength);
            foreach (var candidate in new[] { value, value + new string('x', maxLength - 1), value + new string('x', maxLength) })
            {
                var valid = Error(attribute, "queue", candidate) is null;
                Assert.Equal(candidate.Length == 0 || TaskLimits.IsIdentifier(candidate, maxLength), valid);
            }
        }
    }

    [Fact]
    public void Messages_name_the_field_as_today()
    {
        Assert.Equal("Queue must be 1–128 characters of [A-Za-z0-9._:-].", Error(new IdentifierAttribute(), "queue", "a/b"));
        Assert.Equal("Tag must be 1–64 characters of [A-Za-z0-9._:-].", Error(new IdentifierAttribute(TaskLimits.MaxTagLength), "tag", "a b"));
        Assert.Equal("Status 'bogus' is not one of queued, running, done, error, cancelled, waiting, scheduled.", Error(new WireNameAttribute<TaskState>(), "status", "bogus"));
        Assert.Equal("Limit must be a whole number from 1 to 500 (was 'abc').", Error(new WholeNumberAttribute(1, 500), "limit", "abc"));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("500", true)]
    [InlineData("0", false)]
    [InlineData("501", false)]
    [InlineData("-1", false)]
    [InlineData("+5", false)]
    [InlineData(" 5", false)]
    [InlineData("5.0", false)]
    [InlineData("99999999999", false)]
    [InlineData("", true)]
    [InlineData(null, true)]
    public void Whole_numbers_are_plain_digits_in_range(string? text, bool valid) =>
        Assert.Equal(valid, Error(new WholeNumberAttribute(1, 500), "limit", text) is null);

    [Theory]
    [InlineData("queued", TaskState.Queued)]
    [InlineData("DONE", TaskState.Done)]
    [InlineData("Cancelled", TaskState.Cancelled)]
    public void Statuses_parse_by_wire_name_in_any_case(string text, TaskState state)
    {
        Assert.True(WireNames<TaskState>.TryParse(text, out var parsed));
        Assert.Equal(state, parsed);
        Assert.Null(Error(new WireNameAttribute<TaskState>(), "status", text));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("Queued1")]
    [InlineData("cancel")]
    public void Numbers_and_other_words_are_not_statuses(string text)
    {
        Assert.False(WireNames<TaskState>.TryParse(text, out _));
        Assert.NotNull(Error(new WireNameAttribute<TaskState>(), "status", text));
    }

    [Theory]
    [InlineData("PT1H", true)]
    [InlineData("P7D", true)]
    [InlineData("01:30:00", true)]
    [InlineData("2.00:00:00", true)]
    [InlineData("00:00:00", true)]
    [InlineData("yesterday", false)]
    [InlineData("-01:00:00", false)]
    [InlineData("-PT1H", false)]
    public void Durations_are_ISO_8601_or_a_time_span_and_never_negative(string text, bool valid) =>
        Assert.Equal(valid, Error(new DurationAttribute(), "olderThan", text) is null);
}
