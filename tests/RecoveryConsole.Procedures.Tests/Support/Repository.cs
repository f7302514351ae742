namespace RecoveryConsole.Procedures.Tests.Support;

/// <summary>Finds files of the repository (the procedures folder) from the test's output directory.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ProceduresFolder => Path.Combine(Root, "procedures");

    public static string SampleDrill => Path.Combine(Root, "tests", "Fixtures", "procedures", "sample-drill.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RecoveryConsole.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("RecoveryConsole.sln not found above " + AppContext.BaseDirectory);
    }
}
