using System.Text.Json;
using System.Text.Json.Serialization;
using Oee.Api.Models;

namespace Oee.Api.Hosting;

/// <summary>
/// Source-generated JSON metadata of the single task submit, the request every REST client sends most
/// (<c>POST /api/tasks</c>: its body and its answer), with the same options as the API's
/// <see cref="Microsoft.AspNetCore.Http.Json.JsonOptions"/> (web defaults, strict numbers, nothing ignored), so that
/// the answer is written by the generated serializer rather than the reflection-based one. First in the
/// resolver chain; every other type keeps the reflection-based metadata.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SubmitTaskBody))]
[JsonSerializable(typeof(SubmittedTaskResponse))]
[JsonSerializable(typeof(TaskResponse))]
internal sealed partial class OeeApiJsonContext : JsonSerializerContext;
