namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// Bash's brace expansion of a word, <c>/etc/sysconfig/{iptables,docker-*,flanneld}</c> into three words (before
/// globbing, whether or not the files exist). Only comma lists; a brace without a comma at its level stays literal.
/// </summary>
internal static class BraceExpansion
{
    public static IReadOnlyList<string> Expand(string word)
    {
        for (var open = word.IndexOf('{'); open >= 0; open = word.IndexOf('{', open + 1))
        {
            var depth = 0;
            var commas = new List<int>();
            for (var i = open; i < word.Length; i++)
            {
                if (word[i] == '{') depth++;
                else if (word[i] == ',' && depth == 1) commas.Add(i);
                else if (word[i] == '}' && --depth == 0)
                {
                    if (commas.Count == 0) break;
                    var bounds = new[] { open }.Concat(commas).Append(i).ToList();
                    var prefix = word[..open];
                    var suffix = word[(i + 1)..];
                    return Enumerable.Range(0, bounds.Count - 1)
                        .SelectMany(k => Expand(prefix + word[(bounds[k] + 1)..bounds[k + 1]] + suffix))
                        .ToList();
                }
            }
        }
        return [word];
    }
}
