using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Tasks;

/// <summary>
/// The validator's fast path (<see cref="SubmitTaskRequestValidator.CertainlyValid"/>) never lets through
/// a request that the rules refuse, and it knows every property the rules look at.
/// </summary>
public sealed class SubmitTaskRequestValidatorFastPathTests
{
    private const int MaxInputBytes = 100;

    // The properties CertainlyValid checks or requires to be absent.
    private static readonly string[] KnownRuledProperties =
    [
        "Id", "Name", "Handler", "Queue", "Priority", "MaxAttempts", "Timeout", "Delay", "RunAt", "DependsOn",
        "Retry", "Tags", "ConcurrencyKey", "SubmittedBy", "Tenant", "ParentId", "Input",
    ];

    private readonly SubmitTaskRequestValidator validator = new(MaxInputBytes);

    [Fact]
    public void Every_property_the_rules_look_at_is_known_to_the_fast_path()
    {
        var ruled = validator.CreateDescriptor().GetMembersWithValidators().Select(m => m.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.NotEmpty(ruled);
        Assert.All(ruled, p => Assert.Contains(p, KnownRuledProperties, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_plain_request_takes_the_fast_path()
    {
        Assert.True(validator.CertainlyValid(new SubmitTaskRequest { Name = "n", Handler = "echo", Input = "{\"a\":[1,2]}", Queue = "q", Priority = 3, Tags = ["t"] }));
        Assert.True(validator.CertainlyValid(new SubmitTaskRequest { Id = "a.b:c-d_1", Name = "n", Handler = "echo" }));
    }

    [Fact]
    public void No_request_the_rules_refuse_takes_the_fast_path()
    {
        var checkedRequests = 0;
        foreach (var request in Variations())
        {
            var valid = validator.Validate(request).IsValid;
            if (validator.CertainlyValid(request))
            {
                Assert.True(valid, $"The fast path took a request the rules refuse: {request}");
            }

            // Check gives the rules' answer either way.
            Assert.Equal(valid, validator.Check(request).Count == 0);
            checkedRequests++;
        }

        Assert.True(checkedRequests > 100);
    }

    /// <summary>The plain request with each property in turn set to valid and invalid values, and pairs of them.</summary>
    private static IEnumerable<SubmitTaskRequest> Variations()
    {
        var plain = new SubmitTaskRequest { Name = "n", Handler = "echo" };
        var changes = new List<Func<SubmitTaskRequest, SubmitTaskRequest>>
        {
            r => r with { Id = "ok-1" }, r => r with { Id = "" }, r => r with { Id = "has space" }, r => r with { Id = new string('a', TaskLimits.MaxIdentifierLength + 1) },
            r => r with { Name = "" }, r => r with { Name = "   " }, r => r with { Name = new string('n', TaskLimits.MaxNameLength + 1) }, r => r with { Name = "a\0b" }, r => r with { Name = "ünïcødé name" },
            r => r with { Handler = "" }, r => r with { Handler = " " }, r => r with { Handler = "a b" }, r => r with { Handler = "h.1" },
            r => r with { Queue = "q/1" }, r => r with { Queue = "" }, r => r with { Queue = "q:1" },
            r => r with { Priority = TaskLimits.MinPriority - 1 }, r => r with { Priority = TaskLimits.MaxPriority + 1 }, r => r with { Priority = TaskLimits.MaxPriority }, r => r with { Priority = TaskLimits.MinPriority },
            r => r with { MaxAttempts = 0 }, r => r with { MaxAttempts = 1 }, r => r with { MaxAttempts = TaskLimits.MaxAttempts + 1 },
            r => r with { Timeout = TimeSpan.Zero }, r => r with { Timeout = TimeSpan.FromSeconds(1) },
            r => r with { Delay = TimeSpan.FromSeconds(-1) }, r => r with { Delay = TimeSpan.FromSeconds(1) },
            r => r with { RunAt = DateTimeOffset.UnixEpoch },
            r => r with { DependsOn = [] }, r => r with { DependsOn = ["x"] }, r => r with { DependsOn = ["#0"] }, r => r with { DependsOn = ["x", "x"] },
            r => r with { Retry = new RetryPolicy { Multiplier = 0 } }, r => r with { Retry = new RetryPolicy() },
            r => r with { Tags = [] }, r => r with { Tags = ["a b"] }, r => r with { Tags = [""] }, r => r with { Tags = [.. Enumerable.Range(0, TaskLimits.MaxTags + 1).Select(i => $"t{i}")] },
            r => r with { Tags = [new string('t', TaskLimits.MaxTagLength + 1)] }, r => r with { Tags = ["ok", "fine.1"] },
            r => r with { ConcurrencyKey = "k" }, r => r with { ConcurrencyKey = "k k" },
            r => r with { SubmittedBy = "me" }, r => r with { SubmittedBy = "m e" },
            r => r with { Tenant = "t" }, r => r with { Tenant = "t:1" },
            r => r with { ParentId = "p" }, r => r with { ParentId = "p p" },
            r => r with { Input = "{}" }, r => r with { Input = "not json" }, r => r with { Input = "{\"a\":\"\\ud800\"}" }, r => r with { Input = "\"" + new string('x', MaxInputBytes) + "\"" },
            r => r with { Input = "" }, r => r with { Input = "[1, 2" }, r => r with { Input = "123" },
        };

        yield return plain;
        foreach (var change in changes)
        {
            yield return change(plain);
        }

        for (var i = 0; i < changes.Count; i += 3)
        {
            for (var j = 1; j < changes.Count; j += 4)
            {
                yield return changes[j](changes[i](plain));
            }
        }
    }
}
