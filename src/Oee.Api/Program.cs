using Oee.Api.Apis;
using Oee.Api.Hosting;

// OEE's REST front end. With no cluster settings it hosts an embedded silo (memory storage,
// localhost clustering); with Oee:Api:Mode=Client it joins a cluster as an Orleans client.
var builder = WebApplication.CreateBuilder(args);
builder.AddOeeBackend();
builder.AddOeeHttp();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapOeeObservability();
app.MapTasksApi();
app.MapQueuesApi();
app.MapSchedulesApi();
app.MapSystemApi();
app.Run();

/// <summary>The entry point, visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
