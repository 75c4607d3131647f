using Oee.Grains.Hosting;
using Oee.Silo.Hosting;

// An OEE silo. Settings come from appsettings.json, environment variables (Oee__Cluster__SiloPort=11112)
// and the command line (--Oee:Cluster:SiloPort 11112); see the README for a 3-silo cluster.
// `Oee.Silo migrate` applies the PostgreSQL schema and exits (for a separate migration step).
// With Oee:Silo:HttpPort set it also serves /health/live, /health/ready and /metrics (README, "Observability").
var builder = WebApplication.CreateBuilder(args.Where(a => a != "migrate").ToArray());
if (args.Contains("migrate"))
{
    return await Migrate(builder);
}

builder.UseOrleans(silo => silo.AddOee(builder.Configuration).AddOeeSiloDashboard(builder.Configuration));
builder.AddOeeSiloHttp();

var app = builder.Build();
app.MapOeeSiloHttp();
await app.RunGracefullyAsync();
return 0;

static async Task<int> Migrate(WebApplicationBuilder builder)
{
    if (!OeeMigrations.IsConfigured(builder.Configuration))
    {
        await Console.Error.WriteLineAsync("migrate: set Oee:PostgreSql:ConnectionString (or Oee__PostgreSql__ConnectionString) first.");
        return 2;
    }

    using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
    var result = await OeeMigrations.MigrateAsync(builder.Configuration, loggers.CreateLogger("Oee.Migrations"));
    Console.WriteLine($"migrate: schema is current ({result.Applied.Length} script(s) applied now, {result.Known} in all).");
    return 0;
}
