using System.Text.Json;

namespace Oee.EndToEnd.Tests;

/// <summary>A dependency graph over real processes on PostgreSQL, across a full restart of the cluster.</summary>
public sealed class DependencyGraphTests
{
    [Fact]
    public async Task A_diamond_with_a_failing_branch_survives_a_full_restart_and_runs_in_order()
    {
        await using var deployment = await OeeDeployment.Create();
        deployment.StartSilo("silo-a");
        deployment.StartSilo("silo-b");
        await deployment.StartApi(expectedSilos: 2);
        try
        {
            // The root's queue is paused, so that the whole graph is still unstarted when the cluster goes down.
            await deployment.Put("/api/queues/e2e-graph", """{"paused": true}""");
            var ids = Enumerable.Range(0, 6).Select(i => $"graph-{i}-{Guid.NewGuid():N}").ToArray();
            var (a, b, c, d, e, f) = (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);
            var batch = await deployment.Post("/api/tasks/batch", $$"""
                {"tasks":[
                  {"id":"{{a}}","name":"root","handler":"echo","queue":"e2e-graph","input":1},
                  {"id":"{{b}}","name":"left","handler":"echo","input":2,"dependsOn":["#0"]},
                  {"id":"{{c}}","name":"right","handler":"fail","input":{"message":"right broke"},"dependsOn":["#0"]},
                  {"id":"{{d}}","name":"join","handler":"echo","input":3,"dependsOn":["#1","#2"]},
                  {"id":"{{e}}","name":"join anyway","handler":"echo","input":4,"dependsOn":["#1","#2"],"runOnDependencyFailure":true},
                  {"id":"{{f}}","name":"after join","handler":"echo","input":5,"dependsOn":["#3"]}
                ]}
                """);
            Assert.Equal(6, batch.GetProperty("created").GetInt32());

            await deployment.StopApi();
            await deployment.StopAllSilos();
            deployment.StartSilo("silo-a");
            deployment.StartSilo("silo-b");
            await deployment.StartApi(expectedSilos: 2);

            Assert.Equal("queued", (await deployment.Get($"/api/tasks/{a}")).GetProperty("status").GetString());
            foreach (var id in ids.Skip(1))
            {
                Assert.Equal("waiting", (await deployment.Get($"/api/tasks/{id}")).GetProperty("status").GetString());
            }

            await deployment.Put("/api/queues/e2e-graph", """{"paused": false}""");
            var final = new Dictionary<string, JsonElement>();
            foreach (var id in ids)
            {
                JsonElement last = default;
                await OeeDeployment.WaitFor(
                    async () => (last = await deployment.Get($"/api/tasks/{id}")).GetProperty("status").GetString() is "done" or "error" or "cancelled",
                    TimeSpan.FromSeconds(120),
                    $"task {id} to finish");
                final[id] = last;
            }

            string Status(string id) => final[id].GetProperty("status").GetString()!;
            DateTimeOffset Started(string id) => final[id].GetProperty("startedAt").GetDateTimeOffset();
            DateTimeOffset Completed(string id) => final[id].GetProperty("completedAt").GetDateTimeOffset();

            Assert.Equal(["done", "done", "error", "cancelled", "done", "cancelled"], ids.Select(Status));
            Assert.True(Started(b) >= Completed(a) && Started(c) >= Completed(a));
            Assert.True(Started(e) >= Completed(b) && Started(e) >= Completed(c));
            Assert.Contains($"'{c}' ended error", final[d].GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains($"'{d}' ended cancelled", final[f].GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("DependencyFailed", final[f].GetProperty("error").GetProperty("type").GetString());
            Assert.Equal(0, final[d].GetProperty("attempt").GetInt32());

            var counts = (await deployment.Get("/api/system")).GetProperty("taskCounts");
            Assert.Equal(0, counts.GetProperty("waiting").GetInt64());
        }
        catch (Exception ex)
        {
            throw OeeDeployment.Failure(ex, deployment.Logs());
        }
    }
}
