namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>head [-n N] [FILE...]: stops reading after N lines, which ends the writer before it in a pipeline.</summary>
internal sealed class HeadCommand : ILabCommand
{
    public string Name => "head";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var parsed = await LineCountOption.ParseAsync(context).ConfigureAwait(false);
        if (parsed is null) return 1;
        return await LineCountOption.ForEachInputAsync(context, parsed.Operands, async input =>
        {
            if (parsed.Count == 0) return;
            long written = 0;
            await foreach (var line in input.ReadLinesAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await context.OutAsync(line).ConfigureAwait(false);
                if (++written >= parsed.Count) break;
            }
        }).ConfigureAwait(false);
    }
}
