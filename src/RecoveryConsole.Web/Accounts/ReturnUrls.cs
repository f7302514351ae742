namespace RecoveryConsole.Web.Accounts;

/// <summary>Where to go after signing in: a path of this site, or "/" for anything else.</summary>
public static class ReturnUrls
{
    private const int MaxLength = 2048;

    /// <summary>
    /// Only local paths made of visible ASCII: an open redirect would hand the session to somebody else's page, and a
    /// value <c>LocalRedirect</c> refuses (control characters, "/\", "//host") would otherwise end in a 500.
    /// </summary>
    public static string Local(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength || url[0] != '/') return "/";
        if (url.Length > 1 && url[1] is '/' or '\\') return "/";
        foreach (var c in url)
            if (c is <= ' ' or > '~' or '\\') return "/";
        return url;
    }
}
