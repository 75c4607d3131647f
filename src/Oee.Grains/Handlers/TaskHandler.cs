using System.Text.Json;

namespace Oee.Grains.Handlers;

/// <summary>
/// A typed body: the input is read from JSON into <typeparamref name="TInput"/> (and checked at
/// submit time), the result written back as JSON.
/// </summary>
/// <typeparam name="TInput">The input's shape.</typeparam>
/// <typeparam name="TResult">The result's shape.</typeparam>
public abstract class TaskHandler<TInput, TResult> : ITaskHandler, IDescribedInput
{
    /// <summary>Runs one attempt with the typed input.</summary>
    protected abstract Task<TResult> HandleAsync(TInput input, TaskContext context);

    /// <summary>Checks a deserialized input; returns what to fix, or null. The default accepts anything.</summary>
    protected virtual string? Validate(TInput input) => null;

    /// <summary>What the input should look like, for error messages (e.g. <c>{"ms": n}</c>).</summary>
    protected virtual string InputShape => typeof(TInput).Name;

    string IDescribedInput.InputShape => InputShape;

    /// <inheritdoc />
    public async Task<string?> ExecuteAsync(TaskContext context)
    {
        var input = Read(context.Input, out var problem);
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        var result = await HandleAsync(input!, context).ConfigureAwait(false);
        return result is null ? null : JsonSerializer.Serialize(result, TaskJson.Options);
    }

    /// <inheritdoc />
    public string? ValidateInput(string? input)
    {
        var value = Read(input, out var problem);
        return problem ?? Validate(value!);
    }

    private TInput? Read(string? input, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(input) || input.Trim() == "null")
        {
            problem = $"this handler needs an input of the form {InputShape}.";
            return default;
        }

        try
        {
            var value = JsonSerializer.Deserialize<TInput>(input, TaskJson.Options);
            if (value is null)
            {
                problem = $"this handler needs an input of the form {InputShape}.";
            }

            return value;
        }
        catch (JsonException ex)
        {
            problem = $"this handler needs an input of the form {InputShape}: {ex.Message}";
            return default;
        }
    }
}
