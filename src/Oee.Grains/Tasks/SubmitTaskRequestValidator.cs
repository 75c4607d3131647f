using System.Text;
using System.Text.Json;
using FluentValidation;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>
/// The rules for a submit that need no silo: shared by the client facade (so bad requests never
/// reach a grain) and the task grain (so direct grain callers get the same answers).
/// Handler existence and handler-specific input rules are checked in the silo.
/// </summary>
internal sealed class SubmitTaskRequestValidator : AbstractValidator<SubmitTaskRequest>
{
    private readonly int maxInputBytes;

    /// <summary>Creates the validator for inputs of at most <paramref name="maxInputBytes"/> UTF-8 bytes.</summary>
    /// <remarks>A rule added or changed here must be reflected in <see cref="CertainlyValid"/> (its tests list the ruled properties).</remarks>
    public SubmitTaskRequestValidator(int maxInputBytes)
    {
        this.maxInputBytes = maxInputBytes;
        RuleFor(r => r.Id)
            .Must(id => id is null || TaskLimits.IsIdentifier(id))
            .WithMessage($"Id must be 1–{TaskLimits.MaxIdentifierLength} characters of [A-Za-z0-9._:-].")
            .OverridePropertyName("id");
        RuleFor(r => r.Name)
            .NotEmpty().WithMessage("Name is required.")
            .MaximumLength(TaskLimits.MaxNameLength).WithMessage($"Name must be at most {TaskLimits.MaxNameLength} characters.")
            .Must(n => n is null || TaskLimits.IsStorableText(n)).WithMessage("Name must not contain the NUL character (U+0000).")
            .OverridePropertyName("name");
        RuleFor(r => r.Handler)
            .NotEmpty().WithMessage("Handler is required.")
            .Must(h => string.IsNullOrEmpty(h) || TaskLimits.IsIdentifier(h))
            .WithMessage($"Handler must be 1–{TaskLimits.MaxIdentifierLength} characters of [A-Za-z0-9._:-].")
            .OverridePropertyName("handler");
        RuleFor(r => r.Queue)
            .Must(q => q is null || TaskLimits.IsIdentifier(q))
            .WithMessage($"Queue must be 1–{TaskLimits.MaxIdentifierLength} characters of [A-Za-z0-9._:-].")
            .OverridePropertyName("queue");
        RuleFor(r => r.Priority)
            .InclusiveBetween(TaskLimits.MinPriority, TaskLimits.MaxPriority)
            .WithMessage($"Priority must be a whole number from {TaskLimits.MinPriority} to {TaskLimits.MaxPriority}.")
            .OverridePropertyName("priority");
        RuleFor(r => r.MaxAttempts)
            .InclusiveBetween(1, TaskLimits.MaxAttempts)
            .WithMessage($"MaxAttempts must be a whole number from 1 to {TaskLimits.MaxAttempts}.")
            .OverridePropertyName("maxAttempts");
        RuleFor(r => r.Timeout)
            .Must(t => t is null || (t > TimeSpan.Zero && t <= TaskLimits.MaxTimeout))
            .WithMessage($"Timeout must be more than zero and at most {TaskLimits.MaxTimeout.TotalDays:0} days.")
            .OverridePropertyName("timeout");
        RuleFor(r => r.Delay)
            .Must(delay => delay is null || (delay >= TimeSpan.Zero && delay <= TaskLimits.MaxStartDelay))
            .WithMessage($"Delay must be from 0 to {TaskLimits.MaxStartDelay.TotalDays:0} days.")
            .OverridePropertyName("delay");
        RuleFor(r => r.RunAt)
            .Must((request, runAt) => runAt is null || request.Delay is null)
            .WithMessage("Give runAt or delay, not both.")
            .OverridePropertyName("runAt");
        RuleFor(r => r.DependsOn)
            .Must((request, dependsOn) => dependsOn is not { Length: > 0 } || (request.RunAt is null && request.Delay is null))
            .WithMessage("A task with dependsOn starts when its dependencies are done: it cannot also have runAt or delay.")
            .OverridePropertyName("dependsOn");
        RuleFor(r => r.Retry)
            .Custom((policy, context) =>
            {
                foreach (var error in RetryPolicyRules.Check(policy))
                {
                    context.AddFailure(error.Field, error.Message);
                }
            });
        RuleFor(r => r.Tags)
            .Must(tags => tags is null || tags.Length <= TaskLimits.MaxTags)
            .WithMessage($"At most {TaskLimits.MaxTags} tags are allowed.")
            .Must(tags => tags is null || tags.All(t => TaskLimits.IsIdentifier(t, TaskLimits.MaxTagLength)))
            .WithMessage($"Each tag must be 1–{TaskLimits.MaxTagLength} characters of [A-Za-z0-9._:-].")
            .OverridePropertyName("tags");
        RuleFor(r => r.DependsOn).Custom((dependsOn, context) =>
        {
            foreach (var problem in DependencyProblems(context.InstanceToValidate.Id, dependsOn))
            {
                context.AddFailure("dependsOn", problem);
            }
        });
        RuleFor(r => r.ConcurrencyKey)
            .Must(key => key is null || TaskLimits.IsIdentifier(key, QueueLimits.MaxConcurrencyKeyLength))
            .WithMessage($"ConcurrencyKey must be 1–{QueueLimits.MaxConcurrencyKeyLength} characters of [A-Za-z0-9._:-].")
            .OverridePropertyName("concurrencyKey");
        RuleFor(r => r.SubmittedBy)
            .Must(by => by is null || TaskLimits.IsIdentifier(by, TaskLimits.MaxTagLength))
            .WithMessage($"SubmittedBy must be 1–{TaskLimits.MaxTagLength} characters of [A-Za-z0-9._:-].")
            .OverridePropertyName("submittedBy");
        RuleFor(r => r.Tenant)
            .Must(tenant => tenant is null || TaskLimits.IsTenant(tenant))
            .WithMessage($"Tenant must be 1–{TaskLimits.MaxTenantLength} characters of [A-Za-z0-9._-].")
            .OverridePropertyName("tenant");
        RuleFor(r => r.ParentId)
            .Must(parent => parent is null || TaskLimits.IsIdentifier(parent))
            .WithMessage($"ParentId must be a task id: 1–{TaskLimits.MaxIdentifierLength} characters of [A-Za-z0-9._:-].")
            .Must((request, parent) => parent is null || !string.Equals(parent, request.Id, StringComparison.Ordinal))
            .WithMessage("ParentId names the task itself: a task cannot be its own parent.")
            .OverridePropertyName("parentId");
        RuleFor(r => r.Input)
            .Must(input => input is null || Encoding.UTF8.GetByteCount(input) <= maxInputBytes)
            .WithMessage($"Input must be at most {maxInputBytes} bytes of JSON.")
            .DependentRules(() => RuleFor(r => r.Input)
                .Must(input => input is null || IsJson(input))
                .WithMessage("Input must be valid JSON (every string well-formed text: no unpaired \\uD800–\\uDFFF escapes).")
                .OverridePropertyName("input"))
            .OverridePropertyName("input");
    }

    /// <summary>The errors as field/message pairs (empty when valid).</summary>
    public IReadOnlyList<FieldError> Check(SubmitTaskRequest request)
    {
        if (CertainlyValid(request))
        {
            return [];
        }

        var result = Validate(request);
        return result.IsValid ? [] : [.. result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))];
    }

    /// <summary>
    /// The plain request (the common case) checked without FluentValidation's machinery, which a profile
    /// of the in-process drain put at about 5 % of the CPU per task (an in-process submit is checked
    /// twice: by the client facade and by the task grain). True only when every rule above certainly
    /// passes; a request that uses any of the other fields (a delay, dependencies, a retry policy, a
    /// key, a tenant, a parent...) or breaks a rule goes through the rules, which alone make the messages.
    /// </summary>
    internal bool CertainlyValid(SubmitTaskRequest request) =>
        request is
        {
            Timeout: null,
            Delay: null,
            RunAt: null,
            DependsOn: null or { Length: 0 },
            Retry: null,
            ConcurrencyKey: null,
            SubmittedBy: null,
            Tenant: null,
            ParentId: null,
        }
        && (request.Id is null || TaskLimits.IsIdentifier(request.Id))
        && !string.IsNullOrWhiteSpace(request.Name) && request.Name.Length <= TaskLimits.MaxNameLength && TaskLimits.IsStorableText(request.Name)
        && TaskLimits.IsIdentifier(request.Handler)
        && (request.Queue is null || TaskLimits.IsIdentifier(request.Queue))
        && request.Priority is null or (>= TaskLimits.MinPriority and <= TaskLimits.MaxPriority)
        && request.MaxAttempts is null or (>= 1 and <= TaskLimits.MaxAttempts)
        && PlainTags(request.Tags)
        && (request.Input is null || (Encoding.UTF8.GetByteCount(request.Input) <= maxInputBytes && IsJson(request.Input)));

    private static bool PlainTags(string[]? tags)
    {
        if (tags is null)
        {
            return true;
        }

        if (tags.Length > TaskLimits.MaxTags)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (!TaskLimits.IsIdentifier(tag, TaskLimits.MaxTagLength))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What is wrong with a dependency list (nothing for null or empty).</summary>
    private static IEnumerable<string> DependencyProblems(string? id, string[]? dependsOn)
    {
        if (dependsOn is null)
        {
            yield break;
        }

        if (dependsOn.Length > TaskLimits.MaxDependencies)
        {
            yield return $"DependsOn lists {dependsOn.Length} tasks; a task may depend on at most {TaskLimits.MaxDependencies}.";
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dependsOn.Length; i++)
        {
            var dependency = dependsOn[i];
            if (dependency?.StartsWith(TaskLimits.BatchReferencePrefix, StringComparison.Ordinal) == true)
            {
                yield return $"DependsOn[{i}] '{dependency}' is a batch reference ({TaskLimits.BatchReferencePrefix}index); those work only in a batch submit.";
            }
            else if (!TaskLimits.IsIdentifier(dependency))
            {
                yield return $"DependsOn[{i}] must be a task id: 1–{TaskLimits.MaxIdentifierLength} characters of [A-Za-z0-9._:-].";
            }
            else if (string.Equals(dependency, id, StringComparison.Ordinal))
            {
                yield return $"DependsOn[{i}] names the task itself ('{dependency}'): a task cannot depend on itself (a cycle).";
            }
            else if (!seen.Add(dependency!))
            {
                yield return $"DependsOn lists '{dependency}' more than once.";
            }
        }
    }

    // Valid JSON whose strings are all text: an escaped lone surrogate ("\ud800") parses, but no JSON
    // writer can write it back, so a task holding one could never be answered or stored as JSON.
    private static bool IsJson(string text)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            if (!reader.Read())
            {
                return false;
            }

            do
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    _ = reader.GetString();
                }
            }
            while (reader.Read());

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
