namespace RecoveryConsole.Transports.Ssh.Checks;

public enum CheckState { Passed, Failed, NotChecked }

/// <summary>One line of a connection test: its verdict and a sentence for the operator.</summary>
public sealed record CheckItem(CheckState State, string Sentence)
{
    public static CheckItem Passed(string sentence) => new(CheckState.Passed, sentence);
    public static CheckItem Failed(string sentence) => new(CheckState.Failed, sentence);
    public static CheckItem NotChecked(string sentence) => new(CheckState.NotChecked, sentence);
}

public enum HostKeyState { Known, Unknown, Changed, NotChecked }

/// <summary>What "test connection" found for one host.</summary>
/// <param name="OfferedKeys">For an unknown key: what the scan saw, ready to be accepted after the operator compared it.</param>
public sealed record HostConnectionReport(string Host, string Address, CheckItem Reachable, HostKeyState HostKeyState, CheckItem HostKey,
    CheckItem Login, CheckItem Sudo, IReadOnlyList<HostKeys.ScannedHostKey> OfferedKeys)
{
    public bool AllPassed => new[] { Reachable, HostKey, Login, Sudo }.All(i => i.State == CheckState.Passed);
}
