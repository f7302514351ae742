using System.Globalization;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>exit [N]: ends the script with N (mod 256), or with the last status.</summary>
internal sealed class ExitCommand : ILabCommand
{
    public string Name => "exit";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var code = context.LastStatus;
        if (context.Args.Count > 0)
        {
            if (!long.TryParse(context.Args[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                await context.ErrAsync($"bash: exit: {context.Args[0]}: numeric argument required").ConfigureAwait(false);
                throw new ShellExitException(2);
            }
            code = (int)(value & 0xFF);
        }
        throw new ShellExitException(code);
    }
}

/// <summary>true, false and ':' only return their status.</summary>
internal sealed class StatusCommand(string name, int status) : ILabCommand
{
    public string Name => name;

    public Task<int> RunAsync(LabCommandContext context) => Task.FromResult(status);
}
