namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>hostname [-s|-f|-i|-I]: the simulated host's name or address.</summary>
internal sealed class HostnameCommand : ILabCommand
{
    public string Name => "hostname";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var host = context.Host;
        var text = context.Args.FirstOrDefault() switch
        {
            null or "-f" => host.Name,
            "-s" => host.Name.Split('.')[0],
            "-i" or "-I" => host.Address,
            _ => null,
        };
        if (text is null)
        {
            await context.ErrAsync($"hostname: invalid option -- '{context.Args[0].TrimStart('-')}'").ConfigureAwait(false);
            return 1;
        }
        await context.OutAsync(text).ConfigureAwait(false);
        return 0;
    }
}
