using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Tests.Support;

namespace RecoveryConsole.Procedures.Tests.Loading;

/// <summary>Writes YAML to a temp folder and loads it as the console would.</summary>
public abstract class LoaderTestBase : IDisposable
{
    private readonly TempFolder folder = new();

    /// <summary>A valid procedure of exactly 13 lines; text appended to it starts on line 14 (a second step).</summary>
    protected const string Base = """
        id: t
        title: T
        source: { document: d.txt, section: "1" }
        parameters:
          - { name: recoveryHost, type: host, from: controlPlaneHosts }
          - { name: backupDir, type: path, default: /backup }
          - { name: masters, type: hostList, from: controlPlaneHosts }
        steps:
          - id: s1
            title: S1
            section: "1"
            on: recoveryHost
            run: echo {{ backupDir }}

        """;

    protected ProcedureLoadResult Load(string yaml, ProcedureLoaderOptions? options = null) =>
        ProcedureLoader.Load(folder.Write("procedure.yaml", yaml), options ?? DemoCluster.Options);

    /// <summary>Loads <see cref="Base"/> plus <paramref name="appended"/> and returns the procedure, failing with the errors if any.</summary>
    protected Model.Procedure LoadValid(string yaml)
    {
        var result = Load(yaml);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Procedure!;
    }

    /// <summary>Asserts there is exactly one error and returns it.</summary>
    protected ProcedureError SingleError(string yaml, ProcedureLoaderOptions? options = null)
    {
        var result = Load(yaml, options);
        Assert.False(result.Succeeded);
        Assert.Null(result.Procedure);
        return Assert.Single(result.Errors);
    }

    public void Dispose() => folder.Dispose();
}
