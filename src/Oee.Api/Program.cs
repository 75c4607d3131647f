using Oee.Api.Apis;
using Oee.Api.Dashboard;
using Oee.Api.Hosting;
using Oee.Api.Security;
using Oee.Grains.Hosting;

if (args.Length > 0 && args[0] == NewKeyCommand.Name)
{
    return NewKeyCommand.Run(args, Console.Out, Console.Error);
}

// OEE's REST front end. With no cluster settings it hosts an embedded silo (memory storage,
// localhost clustering); with Oee:Api:Mode=Client it joins a cluster as an Orleans client.
var builder = WebApplication.CreateBuilder(args);
builder.AddOeeBackend();
builder.AddOeeHttp();
builder.AddOeeDashboard();
builder.AddOeeSecurity();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOeeDashboard(); // its static files first: the page's files need no key (its data does)
app.UseOeeSecurity();
app.MapOpenApi().AllowAnonymous();
app.MapOeeObservability();
app.MapTasksApi();
app.MapQueuesApi();
app.MapSchedulesApi();
app.MapSystemApi();
app.MapModelsApi();
app.MapHandlersApi();
app.MapEventsApi();
app.MapPipelinesApi();
await app.RunGracefullyAsync();
return 0;

/// <summary>The entry point, visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
