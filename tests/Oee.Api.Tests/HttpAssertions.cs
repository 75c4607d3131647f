using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Oee.Api.Tests;

/// <summary>Small helpers for JSON over HTTP and problem-details checks.</summary>
public static class HttpAssertions
{
    public static Task<HttpResponseMessage> PostJson(this HttpClient http, string url, string json) =>
        http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PutJson(this HttpClient http, string url, string json) =>
        http.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>GETs JSON and fails on any non-2xx answer naming the status and the body (a problem says why).</summary>
    public static async Task<JsonElement> GetJson(this HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with this status; returns the body.</summary>
    public static async Task<JsonElement> AssertProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 whose errors name <paramref name="field"/>.</summary>
    public static async Task AssertInvalidField(this HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors), problem.ToString());
        Assert.True(errors.TryGetProperty(field, out _), $"errors do not name '{field}': {errors}");
    }

    /// <summary>
    /// Polls the task until it has the status. The deadline is many times what the wait takes here
    /// (tens of milliseconds), so that a machine several times slower still passes.
    /// </summary>
    public static Task<JsonElement> WaitForStatus(this HttpClient http, string id, string status, int seconds = 60) =>
        http.WaitForTask(id, t => t.GetProperty("status").GetString() == status, seconds);

    /// <summary>Polls the task until it meets the condition, with the deadline of <see cref="WaitForStatus"/>.</summary>
    public static async Task<JsonElement> WaitForTask(this HttpClient http, string id, Func<JsonElement, bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await http.GetJson($"/api/tasks/{id}");
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"task {id} did not reach the expected state: {last}");
    }
}
