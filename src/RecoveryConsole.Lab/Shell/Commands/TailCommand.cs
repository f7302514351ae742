namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>tail [-n N | -n +K] [FILE...]: the last N lines (kept in a ring), or everything from line K.</summary>
internal sealed class TailCommand : ILabCommand
{
    public string Name => "tail";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var parsed = await LineCountOption.ParseAsync(context).ConfigureAwait(false);
        if (parsed is null) return 1;
        return await LineCountOption.ForEachInputAsync(context, parsed.Operands, async input =>
        {
            var ct = context.CancellationToken;
            if (parsed.FromStart)
            {
                long number = 0;
                await foreach (var line in input.ReadLinesAsync(ct).ConfigureAwait(false))
                {
                    if (++number >= parsed.Count) await context.OutAsync(line).ConfigureAwait(false);
                }
                return;
            }
            var last = new Queue<string>();
            await foreach (var line in input.ReadLinesAsync(ct).ConfigureAwait(false))
            {
                if (parsed.Count == 0) continue;
                if (last.Count == parsed.Count) last.Dequeue();
                last.Enqueue(line);
            }
            foreach (var line in last) await context.OutAsync(line).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }
}
