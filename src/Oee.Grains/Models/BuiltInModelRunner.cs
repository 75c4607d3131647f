using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Models.BuiltIn;
using Oee.Grains.Time;

namespace Oee.Grains.Models;

/// <summary>Runs a built-in model: waits its simulated latency on the engine clock, then applies its function; tokens are estimated.</summary>
internal sealed class BuiltInModelRunner([FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time)
{
    public async Task<ModelAnswer> CallAsync(ModelDefinition model, ModelPrompt prompt, int maxOutputTokens, CancellationToken cancellationToken)
    {
        var function = BuiltInModels.Functions.GetValueOrDefault(model.Settings.BuiltIn ?? string.Empty)
            ?? throw new ModelCallException($"Model '{model.Info.Id}' names an unknown built-in '{model.Settings.BuiltIn}'.");
        if (model.Settings.SimulatedLatency > TimeSpan.Zero)
        {
            await Task.Delay(model.Settings.SimulatedLatency, time, cancellationToken).ConfigureAwait(false);
        }

        var output = TokenEstimate.Truncate(function(prompt.Prompt), maxOutputTokens);
        return new ModelAnswer(output, TokenEstimate.Input(prompt), TokenEstimate.Of(output));
    }
}
