using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace RecoveryConsole.Transports.Kubernetes.Config;

/// <summary>
/// A parsed kubeconfig: its clusters, users and contexts by name, and the current context. Nothing is read from
/// disk or decoded until <see cref="Resolve"/> picks a context; every problem is a <see cref="KubeconfigException"/>
/// with a sentence an operator can act on. Relative file paths are relative to the kubeconfig's folder, as kubectl does.
/// </summary>
public sealed class Kubeconfig
{
    private readonly KubeconfigDocument _document;
    private readonly Dictionary<string, ClusterEntry> _clusters;
    private readonly Dictionary<string, UserEntry> _users;
    private readonly Dictionary<string, ContextEntry> _contexts;

    private Kubeconfig(KubeconfigDocument document, string source, string? baseDirectory)
    {
        _document = document;
        Source = source;
        BaseDirectory = baseDirectory;
        _clusters = Named(document.Clusters, c => c.Name, c => c.Cluster ?? new ClusterEntry(), "cluster");
        _users = Named(document.Users, u => u.Name, u => u.User ?? new UserEntry(), "user");
        _contexts = Named(document.Contexts, c => c.Name, c => c.Context ?? new ContextEntry(), "context");
        if (_contexts.Count == 0) throw Problem("defines no contexts");
    }

    /// <summary>Where the kubeconfig came from (a file path, or a label for pasted text), as named in error messages.</summary>
    public string Source { get; }

    /// <summary>The folder relative file paths start from; null for pasted text (then only absolute paths work).</summary>
    public string? BaseDirectory { get; }

    public string? CurrentContext => string.IsNullOrEmpty(_document.CurrentContext) ? null : _document.CurrentContext;
    public IReadOnlyCollection<string> ContextNames => _contexts.Keys;
    public IReadOnlyCollection<string> ClusterNames => _clusters.Keys;
    public IReadOnlyCollection<string> UserNames => _users.Keys;

    /// <summary>Reads and parses a kubeconfig file.</summary>
    public static Kubeconfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KubeconfigException($"The kubeconfig file {full} does not exist.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"The kubeconfig file {full} could not be read: {e.Message}", e);
        }
        return Parse(text, full, Path.GetDirectoryName(full));
    }

    /// <summary>Parses kubeconfig text (YAML or JSON), e.g. pasted into the console.</summary>
    public static Kubeconfig Parse(string text, string source = "the pasted kubeconfig", string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text)) throw new KubeconfigException($"The kubeconfig {source} is empty.");
        KubeconfigDocument? document;
        try
        {
            document = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<KubeconfigDocument>(text);
        }
        catch (YamlException e)
        {
            // Position and the parser's own words only: a scalar's content could be a token.
            throw new KubeconfigException(
                $"The kubeconfig {source} is not a valid kubeconfig (line {e.Start.Line}, column {e.Start.Column}): {Describe(e)}");
        }
        if (document is null) throw new KubeconfigException($"The kubeconfig {source} is empty.");
        if (document.Kind is { Length: > 0 } kind && kind != "Config")
            throw new KubeconfigException($"The file {source} is a {kind}, not a kubeconfig (kind: Config).");
        return new Kubeconfig(document, source, baseDirectory);
    }

    /// <summary>
    /// Picks <paramref name="contextName"/> (or the current context) and loads everything it needs: server, CA,
    /// client certificate and key or token. <paramref name="time"/> decides which certificates count as expired.
    /// </summary>
    public KubernetesConnection Resolve(string? contextName = null, TimeProvider? time = null)
    {
        var name = contextName ?? CurrentContext
            ?? throw Problem($"has no current-context; choose one of: {string.Join(", ", _contexts.Keys)}");
        if (!_contexts.TryGetValue(name, out var context))
            throw Problem($"has no context '{name}'; it defines: {string.Join(", ", _contexts.Keys)}");
        if (string.IsNullOrEmpty(context.Cluster)) throw Problem($"context '{name}' names no cluster");
        if (!_clusters.TryGetValue(context.Cluster, out var cluster))
            throw Problem($"context '{name}' names cluster '{context.Cluster}', which is not defined in it");
        UserEntry user;
        if (string.IsNullOrEmpty(context.User)) user = new UserEntry();
        else if (!_users.TryGetValue(context.User, out user!))
            throw Problem($"context '{name}' names user '{context.User}', which is not defined in it");

        var files = new KubeconfigFiles(this);
        return KubernetesConnectionBuilder.Build(name, context, context.Cluster, cluster, context.User ?? "", user, files, time ?? TimeProvider.System);
    }

    public override string ToString() => $"kubeconfig {Source} (current context: {CurrentContext ?? "none"}; contexts: {string.Join(", ", _contexts.Keys)})";

    internal KubeconfigException Problem(string what) => new($"The kubeconfig {Source} {what}.");

    private Dictionary<string, TEntry> Named<TNamed, TEntry>(List<TNamed?>? items, Func<TNamed, string?> name, Func<TNamed, TEntry> entry, string what)
        where TNamed : class
    {
        var result = new Dictionary<string, TEntry>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            if (item is null) continue;
            var key = name(item);
            if (string.IsNullOrEmpty(key)) throw Problem($"has a {what} without a name");
            // kubectl silently keeps one of two same-named entries; at 3 a.m. a silent pick is the wrong one half the time.
            if (!result.TryAdd(key, entry(item))) throw Problem($"defines {what} '{key}' twice");
        }
        return result;
    }

    private static string Describe(YamlException e)
    {
        var message = e.Message;
        var end = message.IndexOf("): ", StringComparison.Ordinal);
        var text = end >= 0 ? message[(end + 3)..] : message;
        return text.Length == 0 || text.Contains("Exception during deserialization", StringComparison.Ordinal)
            ? "a value has the wrong type (a list or map where a single value belongs, or the reverse)"
            : text;
    }
}
