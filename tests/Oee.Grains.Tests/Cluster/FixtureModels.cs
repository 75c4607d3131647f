using System.Globalization;

namespace Oee.Grains.Tests.Cluster;

/// <summary>The model catalog of the shared cluster fixtures: openai models at the fixture's fake server, and a built-in one.</summary>
public static class FixtureModels
{
    /// <summary>Answers the prompt (fake <c>echo</c>); local; priced per token.</summary>
    public const string Echo = "fake-echo";

    /// <summary>Answers the prompt upper-cased (fake <c>upper</c>), with <see cref="ApiKey"/>; remote.</summary>
    public const string Upper = "fake-upper";

    /// <summary>Never answers (fake <c>hang</c>) until its caller goes away.</summary>
    public const string Hang = "fake-hang";

    /// <summary>Always HTTP 500 (fake <c>fail</c>); not retried.</summary>
    public const string Fail = "fake-fail";

    /// <summary>The built-in <c>uppercase</c>.</summary>
    public const string BuiltInUpper = "builtin-upper";

    /// <summary>The API key of <see cref="Upper"/>.</summary>
    public const string ApiKey = "sk-fixture-5e3c1a";

    public const decimal PerThousandInputTokens = 1m;
    public const decimal PerThousandOutputTokens = 2m;

    public static void AddTo(Dictionary<string, string?> settings, string endpoint)
    {
        OpenAi(settings, Echo, endpoint, "echo", local: true);
        OpenAi(settings, Upper, endpoint, "upper", local: false);
        settings[$"Oee:Models:{Upper}:ApiKey"] = ApiKey;
        OpenAi(settings, Hang, endpoint, "hang", local: false);
        OpenAi(settings, Fail, endpoint, "fail", local: false);
        settings[$"Oee:Models:{BuiltInUpper}:Kind"] = "builtin";
        settings[$"Oee:Models:{BuiltInUpper}:BuiltIn"] = "uppercase";
        settings[$"Oee:Models:{BuiltInUpper}:Capabilities:0"] = "transform";
        settings[$"Oee:Models:{BuiltInUpper}:Local"] = "true";
    }

    private static void OpenAi(Dictionary<string, string?> settings, string id, string endpoint, string serverModel, bool local)
    {
        settings[$"Oee:Models:{id}:Kind"] = "openai";
        settings[$"Oee:Models:{id}:Endpoint"] = endpoint;
        settings[$"Oee:Models:{id}:Model"] = serverModel;
        settings[$"Oee:Models:{id}:Capabilities:0"] = "summarize";
        settings[$"Oee:Models:{id}:Local"] = local ? "true" : "false";
        settings[$"Oee:Models:{id}:MaxRetries"] = "0";
        settings[$"Oee:Models:{id}:Timeout"] = "00:05:00";
        settings[$"Oee:Models:{id}:MaxOutputTokens"] = "200";
        settings[$"Oee:Models:{id}:Pricing:PerThousandInputTokens"] = PerThousandInputTokens.ToString(CultureInfo.InvariantCulture);
        settings[$"Oee:Models:{id}:Pricing:PerThousandOutputTokens"] = PerThousandOutputTokens.ToString(CultureInfo.InvariantCulture);
    }
}
