using Oee.Grains.Hosting;
using Oee.Silo.Hosting;

// An OEE silo. Settings come from appsettings.json, environment variables (Oee__Cluster__SiloPort=11112)
// and the command line (--Oee:Cluster:SiloPort 11112); see the README for a 3-silo cluster.
// `Oee.Silo migrate` applies the PostgreSQL schema and exits (for a separate migration step; exit codes in MigrateCommand).
// With Oee:Silo:HttpPort set it also serves /health/live, /health/ready and /metrics (README, "Observability").
var builder = WebApplication.CreateBuilder(args.Where(a => a != "migrate").ToArray());
if (args.Contains("migrate"))
{
    return await MigrateCommand.RunAsync(builder.Configuration);
}

builder.UseOrleans(silo => silo.AddOee(builder.Configuration).AddOeeSiloDashboard(builder.Configuration));
builder.AddOeeSiloHttp();

var app = builder.Build();
app.MapOeeSiloHttp();
await app.RunGracefullyAsync();
return 0;
