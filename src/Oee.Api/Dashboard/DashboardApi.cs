using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Oee.Api.Hosting;
using Oee.Api.Security;
using Oee.Grains.Configuration;

namespace Oee.Api.Dashboard;

/// <summary>The web dashboard: the static page at <c>/</c> (wwwroot) and <c>/api/dashboard/history</c> for its charts.</summary>
public static class DashboardApi
{
    /// <summary>Registers the dashboard's options and its history sampler (when <c>Oee:Dashboard:Enabled</c>).</summary>
    public static WebApplicationBuilder AddOeeDashboard(this WebApplicationBuilder builder)
    {
        var options = OeeSettings.Read(builder.Configuration, OeeDashboardOptions.SectionName, new OeeDashboardOptionsValidator());
        builder.Services.AddValidatedOptions<OeeDashboardOptions, OeeDashboardOptionsValidator>(builder.Configuration, OeeDashboardOptions.SectionName);
        if (options.Enabled)
        {
            builder.Services.AddSingleton<QueueHistorySampler>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueHistorySampler>());
        }

        return builder;
    }

    /// <summary>Serves the page and maps its history route (when enabled).</summary>
    public static WebApplication MapOeeDashboard(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<OeeDashboardOptions>>().Value.Enabled)
        {
            return app;
        }

        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGet("/api/dashboard/history", GetHistory)
            .RequireClusterWideRead()
            .WithTags("Dashboard")
            .WithName("GetDashboardHistory")
            .WithDescription("Every queue's depth and start/finish rates, sampled every Oee:Dashboard:SampleInterval (5 s) over the last Oee:Dashboard:HistoryWindow (10 minutes), oldest first; kept by this API process since it started.");
        return app;
    }

    /// <summary>Queue depth and throughput over the last minutes</summary>
    internal static Ok<DashboardHistoryResponse> GetHistory(QueueHistorySampler sampler, IOptions<OeeDashboardOptions> options) =>
        TypedResults.Ok(new DashboardHistoryResponse(
            sampler.Interval.TotalSeconds,
            options.Value.HistoryWindow.TotalSeconds,
            sampler.Snapshot()));
}
