namespace Oee.Benchmarks.Hosting;

/// <summary>
/// The repository root and the Oee.Silo / Oee.Api dlls to start: by default the build output of the
/// same configuration as this program, or other builds (e.g. a ReadyToRun publish) when given.
/// </summary>
internal sealed record RepoPaths
{
    private RepoPaths(string root, string configuration, string framework)
    {
        Root = root;
        Configuration = configuration;
        SiloDll = Path.Combine(root, "src", "Oee.Silo", "bin", configuration, framework, "Oee.Silo.dll");
        ApiDll = Path.Combine(root, "src", "Oee.Api", "bin", configuration, framework, "Oee.Api.dll");
        PgScript = Path.Combine(root, "scripts", "pg.sh");
    }

    public string Root { get; }

    /// <summary>Release or Debug: taken from where this program runs (bin/&lt;configuration&gt;/&lt;framework&gt;).</summary>
    public string Configuration { get; }

    public string SiloDll { get; private init; }

    public string ApiDll { get; private init; }

    public string PgScript { get; }

    /// <summary>Finds the root (the folder holding Oee.Orleans.sln) above this program.</summary>
    public static RepoPaths Locate()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = output.Parent?.Name ?? "Release";
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Oee.Orleans.sln")))
            {
                return new RepoPaths(dir.FullName, configuration, output.Name);
            }
        }

        throw new InvalidOperationException($"Oee.Orleans.sln not found above {output.FullName}; run the benchmark from the repository.");
    }

    /// <summary>The same paths with the given dlls (null keeps the build output's).</summary>
    public RepoPaths WithDlls(string? siloDll, string? apiDll) => this with
    {
        SiloDll = siloDll is null ? SiloDll : Path.GetFullPath(siloDll),
        ApiDll = apiDll is null ? ApiDll : Path.GetFullPath(apiDll),
    };

    /// <summary>Throws a clear message when a dll to start is missing.</summary>
    public static string RequireBuilt(string dll) => File.Exists(dll)
        ? dll
        : throw new FileNotFoundException($"{dll} is missing; build first: dotnet build -c Release Oee.Orleans.sln", dll);
}
