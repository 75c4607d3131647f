namespace Oee.Api.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Oee.Orleans.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The checked-in OpenAPI document the client is generated from.</summary>
    public static string CheckedInOpenApi => Path.Combine(Root, "tests", "openapi", "openapi.json");

    /// <summary>Where the served document is written for the linter (scripts/test.sh); under the ignored artifacts/.</summary>
    public static string ServedOpenApi => Path.Combine(Root, "artifacts", "openapi", "openapi.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Oee.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Oee.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
