namespace RecoveryConsole.Orchestration.Actions.Files;

/// <summary>
/// <c>inSections</c> of an edit: the INI-style sections (<c>[masters]</c>, <c>[nodes]</c> of an Ansible inventory) its
/// removeLinesMatching and replaceLine apply to. A host is listed in several groups of one inventory, and the 3.11
/// document removes a retired master from [masters] and [nodes] only (it stays in [etcd]): a line pattern alone cannot
/// say which group a line is in. A section runs from its header line to the next header; headers are never edited.
/// </summary>
internal static class IniSections
{
    public const string ArgumentName = "inSections";

    /// <summary>The section names of the argument (whitespace-separated, with or without brackets).</summary>
    public static IReadOnlyList<string> Names(string argument) =>
        argument.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim('[', ']')).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>For each line, whether it lies inside one of <paramref name="names"/>; every line when there are none.</summary>
    public static bool[] Scope(string[] lines, IReadOnlyList<string> names)
    {
        var inScope = new bool[lines.Length];
        var current = names.Count == 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (names.Count > 0 && Header(lines[i]) is { } name)
            {
                current = names.Contains(name, StringComparer.Ordinal);
                continue;
            }
            inScope[i] = current;
        }
        return inScope;
    }

    /// <summary>" in [masters], [nodes]" for messages; empty without sections.</summary>
    public static string Describe(IReadOnlyList<string> names) => names.Count == 0 ? "" : " in " + string.Join(", ", names.Select(n => $"[{n}]"));

    private static string? Header(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length > 2 && trimmed[0] == '[' && trimmed[^1] == ']' ? trimmed[1..^1].Trim() : null;
    }
}
