using System.Net;
using System.Text;

namespace Oee.Api.Tests.Security;

[Collection(SecuredApiCollection.Name)]
public sealed class ApiKeyAccessTests(SecuredApiFixture api)
{
    private const string EchoTask = """{"name":"secured","handler":"echo","input":{"a":1}}""";

    [Theory]
    [InlineData(null)]
    [InlineData("oee_nosuchkey_abcdef")]
    [InlineData("not-a-key")]
    public async Task A_request_without_a_valid_key_is_401_with_a_problem_and_a_challenge(string? key)
    {
        using var client = key is null ? api.CreateClient() : api.With(key);

        var response = await client.GetAsync("/api/tasks");

        var problem = await response.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task A_known_key_id_with_a_wrong_secret_is_401()
    {
        var forged = api.AdminKey[..^4] + "AAAA";
        using var client = api.With(forged);

        (await client.PostJson("/api/tasks", EchoTask)).Dispose();
        var response = await client.PutJson("/api/queues/forged", """{"concurrencyLimit":3}""");

        await response.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_need_no_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task A_reader_reads_but_may_not_submit_cancel_or_configure()
    {
        using var reader = api.With(api.ReaderKey);
        using var submitter = api.With(api.SubmitterKey);
        var id = (await (await submitter.PostJson("/api/tasks", EchoTask)).Json()).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/tasks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/queues")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/system")).StatusCode);
        await (await reader.PostJson("/api/tasks", EchoTask)).AssertProblem(HttpStatusCode.Forbidden);
        await (await reader.PostJson("/api/tasks/batch", $$"""{"tasks":[{{EchoTask}}]}""")).AssertProblem(HttpStatusCode.Forbidden);
        await (await reader.PostAsync($"/api/tasks/{id}/cancel", null)).AssertProblem(HttpStatusCode.Forbidden);
        await (await reader.PutJson("/api/queues/default", """{"concurrencyLimit":3}""")).AssertProblem(HttpStatusCode.Forbidden);
        await (await reader.DeleteAsync("/api/tasks/finished")).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_submitter_submits_as_itself_and_changes_only_its_own_tasks()
    {
        using var submitter = api.With(api.SubmitterKey);
        using var other = api.With(api.OtherSubmitterKey, inHeader: true);
        var gate = $$$"""{"name":"held","handler":"delay","queue":"secured-{{{Guid.NewGuid():N}}}","input":{"ms":600000}}""";

        var created = await submitter.PostJson("/api/tasks", gate);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var task = await created.Json();
        var id = task.GetProperty("id").GetString()!;
        Assert.Equal("submitter1", task.GetProperty("submittedBy").GetString());

        await (await other.PostAsync($"/api/tasks/{id}/cancel", null)).AssertProblem(HttpStatusCode.Forbidden);
        await (await other.PostAsync($"/api/tasks/{id}/retry", null)).AssertProblem(HttpStatusCode.Forbidden);
        await (await other.PostAsync("/api/tasks/no-such-task/cancel", null)).AssertProblem(HttpStatusCode.NotFound);
        await (await submitter.PutJson("/api/queues/default", """{"concurrencyLimit":3}""")).AssertProblem(HttpStatusCode.Forbidden);
        await (await submitter.PutJson("/api/schedules/nightly", """{"cron":"0 3 * * *","task":{"name":"n","handler":"echo"}}""")).AssertProblem(HttpStatusCode.Forbidden);

        var cancelled = await submitter.PostAsync($"/api/tasks/{id}/cancel", null);
        Assert.True(cancelled.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"cancel answered {(int)cancelled.StatusCode}");
        await submitter.WaitForStatus(id, "cancelled");
        Assert.Equal(HttpStatusCode.OK, (await submitter.PostAsync($"/api/tasks/{id}/retry", null)).StatusCode);
        await submitter.PostAsync($"/api/tasks/{id}/cancel", null);
    }

    [Fact]
    public async Task The_same_id_from_another_submitter_is_a_conflict_not_the_other_keys_task()
    {
        using var submitter = api.With(api.SubmitterKey);
        using var other = api.With(api.OtherSubmitterKey);
        var body = $$"""{"id":"owned-{{Guid.NewGuid():N}}","name":"owned","handler":"echo"}""";

        Assert.Equal(HttpStatusCode.Created, (await submitter.PostJson("/api/tasks", body)).StatusCode);

        await (await other.PostJson("/api/tasks", body)).AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_admin_configures_queues_and_cancels_any_task()
    {
        using var submitter = api.With(api.SubmitterKey);
        using var admin = api.With(api.AdminKey);
        var queue = $"secured-admin-{Guid.NewGuid():N}";
        var id = (await (await submitter.PostJson("/api/tasks", $$$"""{"name":"held","handler":"delay","queue":"{{{queue}}}","input":{"ms":600000}}""")).Json()).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson($"/api/queues/{queue}", """{"concurrencyLimit":3}""")).StatusCode);
        var cancelled = await admin.PostAsync($"/api/tasks/{id}/cancel", null);

        Assert.True(cancelled.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"cancel answered {(int)cancelled.StatusCode}");
        await admin.WaitForStatus(id, "cancelled");
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_Retry_After_and_other_keys_are_not_slowed()
    {
        using var limited = api.With(api.LimitedKey);
        using var reader = api.With(api.ReaderKey);

        // 1 request per second after a burst of 5: 30 requests in a row cannot all pass on any machine
        // that sends them within 25 s.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 30 && refused is null; i++)
        {
            var response = await limited.GetAsync("/api/system");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        var problem = await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(problem.GetProperty("retryAfterSeconds").GetInt32() >= 1);
        Assert.StartsWith("This API key sent more requests than its rate allows (1 a second after a burst of 5)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((1, 5), (problem.GetProperty("requestsPerSecond").GetInt32(), problem.GetProperty("burst").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/system")).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413_with_a_problem()
    {
        using var submitter = api.With(api.SubmitterKey);
        var input = new string('x', SecuredApiFixture.MaxBodyBytes);
        var body = $$"""{"name":"big","handler":"echo","input":"{{input}}"}""";

        var response = await submitter.PostAsync("/api/tasks", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
    }
}
