namespace RecoveryConsole.Transports.Ssh.Processes;

/// <summary>Waits for a process's output readers after the process exited.</summary>
internal static class OutputDrain
{
    /// <summary>
    /// Normally the pipes reach end-of-file as soon as the process is gone. A descendant that kept them open
    /// (an old ssh backgrounding a ControlPersist master without closing its stderr) would make that wait forever,
    /// so after this long the readers are abandoned.
    /// </summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task WaitAsync(params Task[] readers)
    {
        var all = Task.WhenAll(readers);
        if (await Task.WhenAny(all, Task.Delay(Limit)).ConfigureAwait(false) == all)
            await all.ConfigureAwait(false); // surface a reader's own failure (e.g. the sink threw)
    }
}
