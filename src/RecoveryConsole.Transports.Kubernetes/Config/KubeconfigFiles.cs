namespace RecoveryConsole.Transports.Kubernetes.Config;

/// <summary>Reads the material a kubeconfig points to: inline base64 (<c>*-data</c>) or a file path, data winning as in kubectl.</summary>
internal sealed class KubeconfigFiles(Kubeconfig config)
{
    public Kubeconfig Config => config;

    /// <summary>The bytes, or null when neither is given. <paramref name="what"/> names the item in errors ("the CA of cluster 'x'").</summary>
    public byte[]? Read(string? inlineBase64, string? path, string what)
    {
        if (!string.IsNullOrWhiteSpace(inlineBase64))
        {
            try
            {
                return Convert.FromBase64String(inlineBase64.Trim());
            }
            catch (FormatException)
            {
                throw config.Problem($"holds {what} that is not valid base64");
            }
        }
        if (string.IsNullOrWhiteSpace(path)) return null;
        var full = Existing(path, what);
        try
        {
            return File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"The kubeconfig {config.Source} names {what} in the file {full}, which could not be read: {e.Message}", e);
        }
    }

    /// <summary>The full path of a file the kubeconfig names, relative paths taken from the kubeconfig's folder.</summary>
    public string Existing(string path, string what)
    {
        string full;
        if (Path.IsPathRooted(path))
        {
            full = path;
        }
        else if (config.BaseDirectory is { } folder)
        {
            full = Path.GetFullPath(Path.Combine(folder, path));
        }
        else
        {
            throw config.Problem($"names {what} by the relative path {path}, which has no folder to start from; use an absolute path or inline data");
        }
        if (!File.Exists(full)) throw config.Problem($"names {what} in the file {full}, which does not exist");
        return full;
    }

    public string ReadText(string path, string what)
    {
        var full = Existing(path, what);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"The kubeconfig {config.Source} names {what} in the file {full}, which could not be read: {e.Message}", e);
        }
    }
}
