using Oee.Grains.Hosting;

// An OEE silo. Settings come from appsettings.json, environment variables (Oee__Cluster__SiloPort=11112)
// and the command line (--Oee:Cluster:SiloPort 11112); see the README for a 3-silo cluster.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddOee(builder.Configuration));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

await builder.Build().RunAsync();
