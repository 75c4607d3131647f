using System.Text.Json;
using System.Text.Json.Nodes;
using Oee.Grains.Contracts;

namespace Oee.Api.Tests.OpenApi;

/// <summary>
/// The document at /openapi/v1.json, as generated clients read it. The served document is written to
/// artifacts/openapi/openapi.json (scripts/test.sh lints it) and must equal the checked-in
/// tests/openapi/openapi.json that the test client is generated from (scripts/gen-api-client.sh).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiFixture fixture)
{
    private const string UpdateVariable = "OEE_UPDATE_OPENAPI";

    private async Task<JsonNode> Document() => JsonNode.Parse(await fixture.Http.GetStringAsync("/openapi/v1.json"))!;

    private static JsonNode Schema(JsonNode document, string name) => document["components"]!["schemas"]![name]!;

    private static JsonNode Operation(JsonNode document, string path, string method) => document["paths"]![path]![method]!;

    [Fact]
    public async Task The_served_document_is_written_for_the_linter_and_equals_the_checked_in_one()
    {
        var served = (await Document()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(RepositoryPaths.ServedOpenApi)!);
        await File.WriteAllTextAsync(RepositoryPaths.ServedOpenApi, served);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(RepositoryPaths.CheckedInOpenApi, served);
        }

        var checkedIn = File.Exists(RepositoryPaths.CheckedInOpenApi) ? await File.ReadAllTextAsync(RepositoryPaths.CheckedInOpenApi) : "";
        Assert.True(
            checkedIn == served,
            $"The served OpenAPI document differs from tests/openapi/openapi.json (the served one is in {RepositoryPaths.ServedOpenApi}). "
            + "If the change is meant, run scripts/gen-api-client.sh (it updates the file and regenerates the client) and commit both.");
    }

    [Fact]
    public async Task Input_and_result_are_any_json()
    {
        var document = await Document();
        foreach (var (schema, property) in new[] { ("TaskResponse", "input"), ("TaskResponse", "result"), ("SubmitTaskBody", "input"), ("SubmittedTaskResponse", "result") })
        {
            var any = Schema(document, schema)["properties"]![property]!.AsObject();
            Assert.True(any.All(p => p.Key == "description"), $"{schema}.{property} is not the empty schema: {any.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Statuses_are_string_enums_with_their_wire_values()
    {
        var document = await Document();
        Assert.Equal(["queued", "running", "done", "error", "cancelled", "waiting", "scheduled"], Values(Schema(document, "TaskState")));
        Assert.Equal(["created", "existing", "conflict", "invalid", "failed", "queueFull"], Values(Schema(document, "BatchItemState")));
        Assert.Contains("active", Values(Schema(document, "SiloState")));
        Assert.Contains("unreachable", Values(Schema(document, "SiloState")));
        Assert.Equal("#/components/schemas/TaskState", Schema(document, "TaskResponse")["properties"]!["status"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/BatchItemState", Schema(document, "BatchItemResponse")["properties"]!["status"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/SiloState", Schema(document, "SiloResponse")["properties"]!["status"]!["$ref"]!.GetValue<string>());

        static string[] Values(JsonNode schema)
        {
            Assert.Equal("string", schema["type"]!.GetValue<string>());
            return [.. schema["enum"]!.AsArray().Select(v => v!.GetValue<string>())];
        }
    }

    [Fact]
    public async Task List_parameters_are_lower_case_and_typed()
    {
        var parameters = Operation(await Document(), "/api/tasks", "get")["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["schema"]!);

        Assert.Equal(["status", "queue", "name", "tag", "limit", "cursor", "deadLettered", "parentId", "tenant"], parameters.Keys);
        Assert.Equal("^[A-Za-z0-9._-]{1,64}$", parameters["tenant"]["pattern"]!.GetValue<string>());
        Assert.Equal("boolean", parameters["deadLettered"]["type"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/TaskState", parameters["status"]["$ref"]!.GetValue<string>());
        var limit = parameters["limit"];
        Assert.Equal("integer", limit["type"]!.GetValue<string>());
        Assert.Equal(1, limit["minimum"]!.GetValue<int>());
        Assert.Equal(TaskQuery.MaxLimit, limit["maximum"]!.GetValue<int>());
        Assert.Equal(TaskQuery.DefaultLimit, limit["default"]!.GetValue<int>());
        Assert.Equal(Identifier(TaskLimits.MaxIdentifierLength), parameters["queue"]["pattern"]!.GetValue<string>());
        Assert.Equal(Identifier(TaskLimits.MaxTagLength), parameters["tag"]["pattern"]!.GetValue<string>());
        Assert.Equal(Identifier(TaskLimits.MaxIdentifierLength), parameters["parentId"]["pattern"]!.GetValue<string>());
    }

    [Fact]
    public async Task Task_counts_have_one_integer_per_status()
    {
        var document = await Document();
        Assert.Equal("#/components/schemas/TaskCountsResponse", Schema(document, "SystemResponse")["properties"]!["taskCounts"]!["$ref"]!.GetValue<string>());
        var counts = Schema(document, "TaskCountsResponse");
        Assert.Equal(["queued", "running", "done", "error", "cancelled", "waiting", "scheduled"], counts["properties"]!.AsObject().Select(p => p.Key));
        Assert.All(counts["properties"]!.AsObject(), p => Assert.Equal("integer", p.Value!["type"]!.GetValue<string>()));
        Assert.Equal(7, counts["required"]!.AsArray().Count);
    }

    [Fact]
    public async Task Request_bodies_declare_required_members_and_the_limits_of_TaskLimits()
    {
        var document = await Document();
        var submit = Schema(document, "SubmitTaskBody");
        Assert.Equal(["name", "handler"], submit["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        var properties = submit["properties"]!;
        Assert.Equal("string", properties["name"]!["type"]!.GetValue<string>());
        Assert.Equal(1, properties["name"]!["minLength"]!.GetValue<int>());
        Assert.Equal(TaskLimits.MaxNameLength, properties["name"]!["maxLength"]!.GetValue<int>());
        foreach (var identifier in new[] { "id", "handler", "queue" })
        {
            Assert.Equal(Identifier(TaskLimits.MaxIdentifierLength), properties[identifier]!["pattern"]!.GetValue<string>());
        }

        Assert.Equal(TaskLimits.MinPriority, properties["priority"]!["minimum"]!.GetValue<int>());
        Assert.Equal(TaskLimits.MaxPriority, properties["priority"]!["maximum"]!.GetValue<int>());
        Assert.Equal(TaskLimits.DefaultPriority, properties["priority"]!["default"]!.GetValue<int>());
        Assert.Equal(1, properties["maxAttempts"]!["minimum"]!.GetValue<int>());
        Assert.Equal(TaskLimits.MaxAttempts, properties["maxAttempts"]!["maximum"]!.GetValue<int>());
        Assert.Equal(TaskLimits.MaxTags, properties["tags"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(Identifier(TaskLimits.MaxTagLength), properties["tags"]!["items"]!["pattern"]!.GetValue<string>());

        var batch = Schema(document, "SubmitBatchBody");
        Assert.Equal(["tasks"], batch["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(1, batch["properties"]!["tasks"]!["minItems"]!.GetValue<int>());
        Assert.Equal(TaskLimits.MaxBatchSize, batch["properties"]!["tasks"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(1, Schema(document, "UpdateQueueBody")["properties"]!["maxConcurrency"]!["minimum"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/api/tasks", "post", "400,409,429")]
    [InlineData("/api/tasks/batch", "post", "400")]
    [InlineData("/api/tasks", "get", "400")]
    [InlineData("/api/tasks/{id}", "get", "400,404")]
    [InlineData("/api/tasks/{id}/cancel", "post", "400,404,409")]
    [InlineData("/api/tasks/finished", "delete", "400")]
    [InlineData("/api/queues", "get", "")]
    [InlineData("/api/queues/{name}", "get", "400,404")]
    [InlineData("/api/queues/{name}", "put", "400")]
    [InlineData("/api/system", "get", "")]
    public async Task Every_error_is_declared_with_its_problem_type(string path, string method, string errors)
    {
        var responses = Operation(await Document(), path, method)["responses"]!.AsObject();
        var declared = responses.Select(r => r.Key).Where(s => s[0] is '4' or '5').ToList();
        // Every operation may also answer 401/403 (API keys), 429 (a key's rate) and 503/5XX.
        Assert.Equal(
            errors.Split(',', StringSplitOptions.RemoveEmptyEntries).Union(["401", "403", "429", "503", "5XX"]).Order(StringComparer.Ordinal),
            declared.Order(StringComparer.Ordinal));
        foreach (var status in declared)
        {
            var content = responses[status]!["content"]!.AsObject();
            var schema = Assert.Single(content, c => c.Key == "application/problem+json").Value!["schema"]!["$ref"]!.GetValue<string>();
            Assert.Equal(status == "400" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails", schema);
        }

        Assert.NotNull(responses["503"]!["headers"]!["Retry-After"]);
    }

    [Theory]
    [InlineData("/api/events")]
    [InlineData("/api/tasks/{id}/events")]
    public async Task An_event_stream_s_429_is_its_limit_without_Retry_After(string path)
    {
        var tooMany = Operation(await Document(), path, "get")["responses"]!["429"]!;

        Assert.Equal(Oee.Api.Errors.TooManyStreamsProblem.OpenApiDescription, tooMany["description"]!.GetValue<string>());
        Assert.Null(tooMany["headers"]);
    }

    [Theory]
    [InlineData("/api/tasks")]
    [InlineData("/api/pipelines")]
    public async Task A_submit_s_429_names_both_causes_with_Retry_After(string path)
    {
        var tooMany = Operation(await Document(), path, "post")["responses"]!["429"]!;

        // A full queue and the request rate; it was the reason phrase, "Too Many Requests".
        var description = tooMany["description"]!.GetValue<string>();
        Assert.Equal(Oee.Api.Errors.QueueFullProblem.OpenApiDescription, description);
        Assert.Contains("maxPending", description, StringComparison.Ordinal);
        Assert.Contains("more requests than its rate allows", description, StringComparison.Ordinal);
        Assert.NotNull(tooMany["headers"]!["Retry-After"]);
    }

    [Fact]
    public async Task Problems_carry_a_trace_id_and_created_answers_a_location()
    {
        var document = await Document();
        Assert.Equal("string", Schema(document, "ProblemDetails")["properties"]!["traceId"]!["type"]!.GetValue<string>());
        Assert.Equal("string", Schema(document, "HttpValidationProblemDetails")["properties"]!["traceId"]!["type"]!.GetValue<string>());
        Assert.NotNull(Operation(document, "/api/tasks", "post")["responses"]!["201"]!["headers"]!["Location"]);
        Assert.NotNull(Operation(document, "/api/tasks/{id}/cancel", "post")["responses"]!["202"]!["headers"]!["Location"]);
        Assert.NotNull(Operation(document, "/api/tasks", "post")["responses"]!["429"]!["headers"]!["Retry-After"]);
        Assert.Contains("created", Schema(document, "SubmittedTaskResponse")["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task The_API_key_schemes_are_required_and_the_server_has_no_trailing_slash_path()
    {
        var document = await Document();
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("X-Api-Key", schemes["apiKey"]!["name"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal(["apiKey", "bearer"], document["security"]!.AsArray().Select(r => r!.AsObject().Single().Key));
        Assert.Equal("/", Assert.Single(document["servers"]!.AsArray())!["url"]!.GetValue<string>());
        Assert.All(
            document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()),
            o => Assert.False(string.IsNullOrWhiteSpace(o.Value!["description"]?.GetValue<string>()), $"{o.Key} has no description"));
    }

    [Fact]
    public async Task Every_schema_and_member_and_parameter_is_described()
    {
        var document = await Document();
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            Assert.False(string.IsNullOrWhiteSpace(schema!["description"]?.GetValue<string>()), $"{name} has no description");
            foreach (var (member, property) in schema["properties"]?.AsObject() ?? [])
            {
                // A nullable reference is oneOf [null, the type]; the description sits on the reference.
                var described = property!["description"] ?? property["oneOf"]?.AsArray().Select(o => o!["description"]).FirstOrDefault(d => d is not null);
                Assert.False(string.IsNullOrWhiteSpace(described?.GetValue<string>()), $"{name}.{member} has no description");
            }
        }

        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                Assert.All(operation!["parameters"]?.AsArray() ?? [], p => Assert.False(string.IsNullOrWhiteSpace(p!["description"]?.GetValue<string>()), $"{method} {path} {p["name"]}"));
            }
        }
    }

    private static string Identifier(int maxLength) => $"^[A-Za-z0-9._:-]{{1,{maxLength}}}$";
}
