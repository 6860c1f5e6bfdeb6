namespace Exchange.Api.Tests;

public static class RepositoryPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries holding Exchange.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, whichever built these tests (the silo was built the same way).</summary>
    public static string Configuration { get; } = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string SiloAssembly => Path.Combine(Root, "silo", "Exchange.Silo", "bin", Configuration, "net10.0", "Exchange.Silo.dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Exchange.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Exchange.sln not found above " + AppContext.BaseDirectory);
    }
}
