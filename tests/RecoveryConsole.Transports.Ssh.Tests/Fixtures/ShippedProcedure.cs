using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>A shipped procedure file (copied next to the tests), so a test sends the file's own commands, never a copy of them.</summary>
internal static class ShippedProcedure
{
    public static Procedure Load(string id)
    {
        var result = ProcedureLoader.Load(Path.Combine(AppContext.BaseDirectory, "procedures", id + ".yaml"));
        Assert.True(result.Procedure is not null, string.Join('\n', result.Errors));
        return result.Procedure;
    }

    public static StepDefinition Step(this Procedure procedure, string path) => procedure.AllSteps().Single(s => s.Path == path);

    /// <summary>The step's command as the engine renders it (CommandRenderer over the file's template) with these values.</summary>
    public static string Command(this Procedure procedure, string path, IReadOnlyDictionary<string, string> values) =>
        CommandRenderer.Render(procedure.Step(path).Run!, values);
}
