using Microsoft.Extensions.Options;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Handlers.BuiltIn;
using Oee.Grains.Models;
using Oee.Grains.Models.BuiltIn;

namespace Oee.Grains.Configuration;

/// <summary>
/// Checks the catalog at silo start; every message names <c>Oee:Models:{id}:{Field}</c> and what to fix.
/// Handler models must name a handler registered in the silo (any registration, also one made after <c>AddOee</c>).
/// </summary>
internal sealed class OeeModelCatalogOptionsValidator(IEnumerable<TaskHandlerRegistration> handlers) : IValidateOptions<OeeModelCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeModelCatalogOptions options)
    {
        var registered = handlers.Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
        var failures = Check(options, registered.Contains);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem of the catalog; <paramref name="handlerExists"/> says whether a task handler is registered.</summary>
    public static List<string> Check(OeeModelCatalogOptions options, Func<string, bool> handlerExists)
    {
        var failures = new List<string>();
        foreach (var (id, model) in options.Models.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var path = $"{OeeModelCatalogOptions.ModelsPath}:{id}";
            if (!TaskLimits.IsIdentifier(id))
            {
                failures.Add($"{path}: a model id must be 1–128 characters of [A-Za-z0-9._:-].");
                continue;
            }

            if (model is null)
            {
                failures.Add($"{path}: the model has no settings; give at least Kind and Capabilities.");
                continue;
            }

            CheckCommon(path, model, failures);
            switch (ModelKinds.Parse(model.Kind))
            {
                case ModelKind.OpenAi:
                    CheckOpenAi(path, model, failures);
                    break;
                case ModelKind.Handler:
                    CheckHandler(path, model, handlerExists, failures);
                    break;
                case ModelKind.BuiltIn:
                    CheckBuiltIn(path, model, failures);
                    break;
                default:
                    failures.Add($"{path}:Kind must be one of {ModelKinds.Names} (was '{model.Kind}').");
                    break;
            }
        }

        return failures;
    }

    private static void CheckCommon(string path, OeeModelOptions model, List<string> failures)
    {
        if (model.Capabilities is not { Length: > 0 })
        {
            failures.Add($"{path}:Capabilities must list at least one capability (e.g. summarize, classify, extract).");
        }
        else
        {
            foreach (var capability in model.Capabilities.Where(c => !TaskLimits.IsIdentifier(c)))
            {
                failures.Add($"{path}:Capabilities: '{capability}' must be 1–128 characters of [A-Za-z0-9._:-].");
            }
        }

        if (double.IsNaN(model.Quality) || model.Quality is < 0 or > 1)
        {
            failures.Add($"{path}:Quality must be from 0 to 1 (was {model.Quality}).");
        }

        var pricing = model.Pricing ?? new OeeModelPricingOptions();
        foreach (var (field, value) in new[] { ("PerCall", pricing.PerCall), ("PerThousandInputTokens", pricing.PerThousandInputTokens), ("PerThousandOutputTokens", pricing.PerThousandOutputTokens) })
        {
            if (value < 0)
            {
                failures.Add($"{path}:Pricing:{field} must not be negative (was {value}).");
            }
        }

        Between(failures, path, "ExpectedLatency", model.ExpectedLatency, TimeSpan.Zero, TimeSpan.FromDays(1));
        if (model.MaxOutputTokens is < 1 or > 1_000_000)
        {
            failures.Add($"{path}:MaxOutputTokens must be from 1 to 1000000 (was {model.MaxOutputTokens}).");
        }

        if (model.Description is { Length: > 1000 })
        {
            failures.Add($"{path}:Description must be at most 1000 characters.");
        }
    }

    private static void CheckOpenAi(string path, OeeModelOptions model, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(model.Endpoint))
        {
            failures.Add($"{path}:Endpoint is required for an openai model: the API's base URL, e.g. http://127.0.0.1:11434/v1.");
        }
        else if (!Uri.TryCreate(model.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{path}:Endpoint must be an absolute http or https URL (was '{model.Endpoint}').");
        }
        else if (!string.IsNullOrEmpty(endpoint.UserInfo))
        {
            failures.Add($"{path}:Endpoint must not carry credentials; put the key in {path}:ApiKey.");
        }

        if (string.IsNullOrWhiteSpace(model.Model))
        {
            failures.Add($"{path}:Model is required for an openai model: the model name the server knows (e.g. llama3.2).");
        }

        Between(failures, path, "Timeout", model.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        Between(failures, path, "RetryDelay", model.RetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        if (model.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{path}:MaxRetries must be from 0 to 10 (was {model.MaxRetries}).");
        }
    }

    private static void CheckHandler(string path, OeeModelOptions model, Func<string, bool> handlerExists, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(model.Handler))
        {
            failures.Add($"{path}:Handler is required for a handler model: the name of a registered task handler.");
        }
        else if (model.Handler == ModelHandler.Name)
        {
            failures.Add($"{path}:Handler must not be '{ModelHandler.Name}' (the model handler would call itself).");
        }
        else if (!handlerExists(model.Handler))
        {
            failures.Add($"{path}:Handler '{model.Handler}' is not a registered task handler; register it with AddTaskHandler in the silo.");
        }
    }

    private static void CheckBuiltIn(string path, OeeModelOptions model, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(model.BuiltIn))
        {
            failures.Add($"{path}:BuiltIn is required for a builtin model: one of {BuiltInModels.Names}.");
        }
        else if (!BuiltInModels.Functions.ContainsKey(model.BuiltIn))
        {
            failures.Add($"{path}:BuiltIn must be one of {BuiltInModels.Names} (was '{model.BuiltIn}').");
        }

        Between(failures, path, "SimulatedLatency", model.SimulatedLatency, TimeSpan.Zero, TimeSpan.FromHours(1));
    }

    private static void Between(List<string> failures, string path, string field, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{path}:{field} must be from {min:c} to {max:c} (was {value:c}).");
        }
    }
}
