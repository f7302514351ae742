namespace RecoveryConsole.Transports.Kubernetes.Config;

/// <summary>
/// A bearer token from the kubeconfig, or from a token file that is read again when it changes (projected
/// service-account tokens rotate). Never printed: ToString says only what kind of credential it is.
/// </summary>
internal sealed class BearerToken
{
    private readonly string? _path;
    private readonly object _gate = new();
    private string _value;
    private DateTime _readAt;

    private BearerToken(string value, string? path, DateTime readAt)
    {
        _value = value;
        _path = path;
        _readAt = readAt;
    }

    public static BearerToken Inline(string value) => new(value.Trim(), null, default);

    public static BearerToken FromFile(string path)
    {
        var value = File.ReadAllText(path).Trim();
        if (value.Length == 0) throw new KubeconfigException($"The token file {path} is empty.");
        return new BearerToken(value, path, File.GetLastWriteTimeUtc(path));
    }

    public string Value()
    {
        if (_path is null) return _value;
        lock (_gate)
        {
            try
            {
                var changed = File.GetLastWriteTimeUtc(_path);
                if (changed != _readAt)
                {
                    var value = File.ReadAllText(_path).Trim();
                    // A half-written rotation leaves the file empty for a moment: keep the old token rather than send none.
                    if (value.Length > 0)
                    {
                        _value = value;
                        _readAt = changed;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Keep the last token: if it is no longer valid the server says 401, which names the real problem.
            }
            return _value;
        }
    }

    public override string ToString() => _path is null ? "bearer token (redacted)" : $"bearer token from {_path} (redacted)";
}
