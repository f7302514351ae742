using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace RecoveryConsole.Lab.ApiServer;

/// <summary>Who a request comes from, as the API server's authenticators determine it.</summary>
public sealed record LabApiIdentity(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>system:masters (the installer's system:admin) and OpenShift's cluster-admins group may do everything.</summary>
    public bool IsClusterAdmin => Groups.Contains("system:masters") || Groups.Contains("cluster-admins");
}

/// <summary>
/// The lab server's authenticators, in kube-apiserver's order: a client certificate signed by the lab CA
/// (CN = user, O = groups), then a bearer token issued by <see cref="AddToken"/>. Anything else is anonymous: 401.
/// </summary>
public sealed class LabApiUsers(LabCertificateAuthority authority)
{
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    private readonly ConcurrentDictionary<string, LabApiIdentity> _tokens = new(StringComparer.Ordinal);

    /// <summary>Issues a bearer token for <paramref name="user"/> (a service account token, in effect).</summary>
    public string AddToken(string user, params string[] groups)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var token = "sha256~" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _tokens[token] = new LabApiIdentity(user, [.. groups, "system:authenticated"]);
        return token;
    }

    /// <summary>Revokes a token: requests carrying it get 401 from now on.</summary>
    public void RevokeToken(string token) => _tokens.TryRemove(token, out _);

    internal LabApiIdentity? Authenticate(HttpContext context)
    {
        if (context.Connection.ClientCertificate is { } certificate && authority.Verifies(certificate)) return FromCertificate(certificate);
        var header = context.Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && _tokens.TryGetValue(header[bearer.Length..].Trim(), out var identity))
            return identity;
        return null;
    }

    private static LabApiIdentity FromCertificate(X509Certificate2 certificate)
    {
        string? name = null;
        var groups = new List<string>();
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            var value = rdn.GetSingleElementValue();
            if (value is null) continue;
            switch (rdn.GetSingleElementType().Value)
            {
                case CommonNameOid:
                    name = value;
                    break;
                case OrganizationOid:
                    groups.Add(value);
                    break;
            }
        }
        groups.Add("system:authenticated");
        return new LabApiIdentity(name ?? "", groups);
    }
}
