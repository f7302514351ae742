using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Config;
using RecoveryConsole.Transports.Ssh;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// Registers, changes and removes real clusters. Everything is checked before anything is stored (a kubeconfig that
/// does not resolve, a key ssh cannot read, a host list without a control-plane host), and every change is audited.
/// Secrets go to the encrypted stores only; what comes back out of this class (definitions, summaries, messages,
/// audit details) names them by fingerprint or id, never by content.
/// </summary>
public sealed partial class ClusterRegistration(
    IClusterDefinitions definitions, ISecretStore secrets, ISshKeyStore keys, ConsoleClusterRegistry registry, IAuditLog audit, TimeProvider clock,
    ClusterPaths paths, IRunRepository runs)
{
    public async Task<ClusterDefinition> SaveAsync(ClusterRegistrationRequest request, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Require(actor, request.Name);
        var existing = ClusterName().IsMatch(request.Name) ? await definitions.FindAsync(request.Name, cancellationToken) : null;
        var problems = new List<RegistrationProblem>();
        if (existing is not null && request.IsNew)
            problems.Add(new(RegistrationFields.Name, $"Name: a cluster named '{request.Name}' is already registered; open it to change it, or choose another name."));
        if (existing is null && registry.IsSimulated(request.Name))
            problems.Add(new(RegistrationFields.Name, $"Name: '{request.Name}' is the name of a simulated lab cluster; choose another name."));
        problems.AddRange(Validate(request, existing));

        var newKey = !string.IsNullOrWhiteSpace(request.PrivateKey);
        var accessChanges = existing is null || newKey || request.Kubeconfigs.Count > 0 || request.RemoveKubeconfigs.Count > 0 || CloudChanges(request, existing)
            || existing.Ssh.User != request.SshUser || existing.Ssh.Port != request.SshPort || (existing.Ssh.JumpHost ?? "") != (request.JumpHost ?? "");
        if (existing is not null && accessChanges && await ActiveRunAsync(request.Name, cancellationToken) is { } active)
            problems.Add(new(RegistrationFields.General,
                $"{Describe(active)} is in progress on {request.Name}: its SSH and API connections cannot change under it. " +
                "Change the SSH user, port, jump host, key, kubeconfigs or cloud account after the run ends (hosts and product can be changed now)."));

        // The key is checked by importing it (ssh-keygen must read it); under a new id, so the stored one stays until the end.
        SshKeyInfo? imported = null;
        if (newKey && problems.Count == 0)
        {
            try { imported = await keys.ImportAsync(NewKeyId(request.Name), request.PrivateKey!, request.KeyPassphrase, cancellationToken); }
            catch (SshKeyImportException e) { problems.Add(new(RegistrationFields.Key, $"SSH key: {e.Message}")); }
        }
        if (problems.Count > 0) throw new ClusterRegistrationException(problems);

        var apis = (existing?.Apis ?? []).Where(a => !request.Kubeconfigs.ContainsKey(a.Role) && !request.RemoveKubeconfigs.Contains(a.Role)).ToList();
        var added = new List<string>();
        var saved = false;
        try
        {
            foreach (var (role, text) in request.Kubeconfigs.OrderBy(k => ApiRoleOrder(k.Key)))
            {
                var id = await secrets.PutAsync("kubeconfig", Encoding.UTF8.GetBytes(text), cancellationToken);
                added.Add(id);
                apis.Add(new ApiAccess { Role = role, KubeconfigSecretId = id, Context = request.Contexts.GetValueOrDefault(role) is { Length: > 0 } c ? c : null });
            }
            var cloud = request.RemoveCloud ? null : existing?.Cloud;
            if (!request.RemoveCloud && request.Cloud is { } account)
            {
                var secretId = existing?.Cloud?.SecretId;
                if (!string.IsNullOrWhiteSpace(account.SecretAccessKey))
                {
                    secretId = await secrets.PutAsync("aws-secret-access-key", Encoding.UTF8.GetBytes(account.SecretAccessKey.Trim()), cancellationToken);
                    added.Add(secretId);
                }
                cloud = new CloudAccess
                {
                    AccessKeyId = account.AccessKeyId.Trim(), SecretId = secretId!, Region = account.Region.Trim(),
                    HostedZoneId = account.HostedZoneId is { Length: > 0 } zone ? zone.Trim() : null,
                    Endpoint = account.Endpoint is { Length: > 0 } endpoint ? endpoint.Trim() : null,
                };
            }
            var definition = new ClusterDefinition
            {
                Name = request.Name,
                Product = request.Product.Trim(),
                Version = request.Version.Trim(),
                Hosts = request.Hosts.Select(h => h with { Name = h.Name.Trim(), Address = h.Address.Trim() }).ToList(),
                Ssh = new SshAccess
                {
                    User = request.SshUser, Port = request.SshPort, KeySecretId = imported?.KeyId ?? existing?.Ssh.KeySecretId,
                    JumpHost = request.JumpHost is { Length: > 0 } jump ? jump.Trim() : null,
                },
                Apis = apis.OrderBy(a => ApiRoleOrder(a.Role)).ToList(),
                Cloud = cloud,
                Facts = request.Facts ?? existing?.Facts ?? new Dictionary<string, string>(),
                InventoryCapturedAt = existing?.InventoryCapturedAt,
                InventorySource = request.Facts is null ? existing?.InventorySource ?? "" : $"entered by {actor.UserName}",
            };
            await definitions.SaveAsync(definition, cancellationToken);
            saved = true; // from here on the new secrets belong to the stored definition
            await registry.RefreshAsync(cancellationToken);

            // Only now are the replaced secrets unused.
            foreach (var old in existing?.Apis ?? [])
                if (request.Kubeconfigs.ContainsKey(old.Role) || request.RemoveKubeconfigs.Contains(old.Role))
                    await secrets.DeleteAsync(old.KubeconfigSecretId, cancellationToken);
            if (imported is not null && existing?.Ssh.KeySecretId is { } oldKey && oldKey != imported.KeyId)
                await keys.DeleteAsync(oldKey, cancellationToken);
            if (existing?.Cloud?.SecretId is { } oldCloud && oldCloud != cloud?.SecretId)
                await secrets.DeleteAsync(oldCloud, cancellationToken);

            var changes = new List<string> { $"{definition.Hosts.Count} hosts", $"ssh {definition.Ssh.User} port {definition.Ssh.Port}" };
            if (definition.Ssh.JumpHost is { } j) changes.Add($"via {j}");
            if (imported is not null) changes.Add($"new key {imported.Label} {imported.Fingerprint}");
            if (request.Kubeconfigs.Count > 0) changes.Add($"kubeconfig for {string.Join(", ", request.Kubeconfigs.Keys.OrderBy(ApiRoleOrder))}");
            if (request.RemoveKubeconfigs.Count > 0) changes.Add($"kubeconfig removed for {string.Join(", ", request.RemoveKubeconfigs)}");
            if (cloud is not null && cloud != existing?.Cloud)
                changes.Add($"cloud account {cloud.AccessKeyId} in {cloud.Region}{(cloud.Endpoint is { } e ? " at " + e : "")}{(cloud.SecretId != existing?.Cloud?.SecretId ? " (new secret)" : "")}");
            if (cloud is null && existing?.Cloud is not null) changes.Add("cloud account removed");
            await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.ClusterRegistered, null,
                $"{(existing is null ? "registered" : "changed")} {definition.Name}: {string.Join(", ", changes)}"), cancellationToken);
            return definition;
        }
        catch when (!saved)
        {
            // Nothing half-stored: secrets written for a definition that was not saved are removed again.
            foreach (var id in added) await secrets.DeleteAsync(id, CancellationToken.None);
            if (imported is not null) await keys.DeleteAsync(imported.KeyId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Saves an inventory captured from the API with its time and source. An empty host list keeps the registered hosts.</summary>
    public async Task<ClusterDefinition> SaveInventoryAsync(string name, IReadOnlyList<HostInfo> hosts, IReadOnlyDictionary<string, string> facts,
        string version, string source, Actor actor, CancellationToken cancellationToken)
    {
        Require(actor, name);
        var existing = await definitions.FindAsync(name, cancellationToken) ?? throw new KeyNotFoundException($"No registered cluster {name}.");
        if (hosts.Count > 0)
        {
            var problems = ValidateHosts(hosts).ToList();
            if (problems.Count > 0) throw new ClusterRegistrationException(problems);
        }
        var updated = existing with
        {
            Hosts = hosts.Count > 0 ? hosts : existing.Hosts,
            Facts = new Dictionary<string, string>(facts, StringComparer.Ordinal),
            Version = version.Length > 0 ? version : existing.Version,
            InventoryCapturedAt = clock.GetUtcNow(),
            InventorySource = source,
        };
        await definitions.SaveAsync(updated, cancellationToken);
        await registry.RefreshAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.InventoryCaptured, null,
            $"{name}: {source}; {updated.Hosts.Count} hosts ({string.Join(", ", updated.Hosts.Select(h => $"{h.Name} {h.Address}"))}); " +
            string.Join(", ", updated.Facts.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"))), cancellationToken);
        return updated;
    }

    /// <summary>
    /// The operator corrects facts by hand (during a disaster the API cannot be asked). The capture time stays (the
    /// rest of the inventory is as old as it was); the source says who corrected it, and the audit says what changed.
    /// </summary>
    public async Task<ClusterDefinition> CorrectFactsAsync(string name, IReadOnlyDictionary<string, string> facts, Actor actor, CancellationToken cancellationToken)
    {
        Require(actor, name);
        var existing = await definitions.FindAsync(name, cancellationToken) ?? throw new KeyNotFoundException($"No registered cluster {name}.");
        var problems = new List<RegistrationProblem>();
        foreach (var (key, value) in facts)
        {
            if (!FactKey().IsMatch(key))
                problems.Add(new(RegistrationFields.General, $"Fact '{key}': a name is letters, digits, '.', '_' or '-' and starts with a letter."));
            if (value.Contains('\n') || value.Length > 1000)
                problems.Add(new(RegistrationFields.General, $"Fact '{key}': the value must be one line of at most 1000 characters."));
        }
        if (problems.Count > 0) throw new ClusterRegistrationException(problems);

        var changes = facts.Where(f => existing.Facts.GetValueOrDefault(f.Key) != f.Value)
            .Select(f => existing.Facts.TryGetValue(f.Key, out var was) ? $"{f.Key}: {was} -> {f.Value}" : $"{f.Key}: (none) -> {f.Value}")
            .Concat(existing.Facts.Keys.Where(k => !facts.ContainsKey(k)).Select(k => $"{k}: {existing.Facts[k]} -> (removed)"))
            .ToList();
        if (changes.Count == 0) return existing;
        var now = clock.GetUtcNow();
        var basis = existing.InventorySource.Split("; corrected by ", 2)[0];
        var correction = $"corrected by {actor.UserName} on {now.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
        var updated = existing with
        {
            Facts = new Dictionary<string, string>(facts, StringComparer.Ordinal),
            InventoryCapturedAt = existing.InventoryCapturedAt ?? now,
            InventorySource = basis.Length > 0 ? $"{basis}; {correction}" : correction,
        };
        await definitions.SaveAsync(updated, cancellationToken);
        await registry.RefreshAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(now, actor.UserName, AuditKinds.InventoryCaptured, null,
            $"{name}: facts {correction}: {string.Join("; ", changes)}"), cancellationToken);
        return updated;
    }

    public async Task RemoveAsync(string name, Actor actor, CancellationToken cancellationToken)
    {
        Require(actor, name);
        var existing = await definitions.FindAsync(name, cancellationToken) ?? throw new KeyNotFoundException($"No registered cluster {name}.");
        if (await ActiveRunAsync(name, cancellationToken) is { } active)
            throw new InvalidOperationException($"{Describe(active)} is in progress on {name}; remove the cluster after the run ends.");
        await definitions.DeleteAsync(name, cancellationToken);
        await registry.RefreshAsync(cancellationToken);
        foreach (var api in existing.Apis) await secrets.DeleteAsync(api.KubeconfigSecretId, cancellationToken);
        if (existing.Ssh.KeySecretId is { } keyId) await keys.DeleteAsync(keyId, cancellationToken);
        if (existing.Cloud is { } cloud) await secrets.DeleteAsync(cloud.SecretId, cancellationToken);
        // Trust is per cluster: a cluster registered again under this name starts with no trusted host keys.
        File.Delete(paths.KnownHostsFile(name));
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.ClusterRemoved, null,
            $"{name}: definition, stored key{(existing.Cloud is null ? "" : ", cloud account")} and {existing.Apis.Count} kubeconfig(s) deleted, trusted host keys forgotten"), cancellationToken);
    }

    /// <summary>What is stored to reach the cluster, in public terms only: the key's fingerprint, each kubeconfig's server, user and warnings.</summary>
    public async Task<ClusterAccessSummary> DescribeAccessAsync(string name, CancellationToken cancellationToken)
    {
        var definition = await definitions.FindAsync(name, cancellationToken) ?? throw new KeyNotFoundException($"No registered cluster {name}.");
        SshKeyInfo? key = null;
        string? keyProblem = null;
        if (definition.Ssh.KeySecretId is { } keyId)
        {
            key = await keys.DescribeAsync(keyId, cancellationToken);
            if (key is null) keyProblem = $"The stored key '{keyId}' is missing from the key store; paste the key again.";
        }
        var apis = new List<StoredKubeconfig>();
        foreach (var api in definition.Apis.OrderBy(a => ApiRoleOrder(a.Role)))
        {
            string text;
            try { text = Encoding.UTF8.GetString(await secrets.GetAsync(api.KubeconfigSecretId, cancellationToken)); }
            catch (Exception e) when (e is KeyNotFoundException or CryptographicException)
            {
                apis.Add(new StoredKubeconfig(api.Role, api.Context, null, "The stored kubeconfig cannot be read (missing, or the data-protection keys changed); register it again."));
                continue;
            }
            var inspection = KubeconfigInspection.Inspect(text, api.Context, $"stored for the {api.Role} role");
            apis.Add(new StoredKubeconfig(api.Role, api.Context, inspection.Summary, inspection.Problem));
        }
        return new ClusterAccessSummary(key, keyProblem, apis);
    }

    private async Task<Run?> ActiveRunAsync(string cluster, CancellationToken cancellationToken) =>
        (await runs.ListAsync(new RunQuery { Cluster = cluster, Take = 500 }, cancellationToken)).FirstOrDefault(r => r.Status.IsActive());

    private static string Describe(Run run) =>
        $"Run \"{run.ProcedureTitle}\" ({run.Id}, started by {run.StartedBy}, {run.Status})";

    private static string NewKeyId(string cluster) =>
        $"{cluster[..Math.Min(cluster.Length, 40)].TrimEnd('-')}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";

    /// <summary>A new secret, another field, or a removal: the cloud account the cluster's connection carries changes.</summary>
    private static bool CloudChanges(ClusterRegistrationRequest r, ClusterDefinition? existing)
    {
        if (r.RemoveCloud) return existing?.Cloud is not null;
        if (r.Cloud is not { } c) return false;
        if (existing?.Cloud is not { } stored || !string.IsNullOrWhiteSpace(c.SecretAccessKey)) return true;
        return stored.AccessKeyId != c.AccessKeyId.Trim() || stored.Region != c.Region.Trim()
            || (stored.HostedZoneId ?? "") != (c.HostedZoneId ?? "").Trim() || (stored.Endpoint ?? "") != (c.Endpoint ?? "").Trim();
    }

    private static int ApiRoleOrder(string role) => ApiRoles.All.Contains(role) ? ApiRoles.All.ToList().IndexOf(role) : ApiRoles.All.Count;

    private static List<RegistrationProblem> Validate(ClusterRegistrationRequest r, ClusterDefinition? existing)
    {
        var problems = new List<RegistrationProblem>();
        if (!ClusterName().IsMatch(r.Name))
            problems.Add(new(RegistrationFields.Name, $"Name: '{r.Name}' is not a cluster name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters."));
        if (r.Name == "new") problems.Add(new(RegistrationFields.Name, "Name: 'new' is reserved (it is the address of the registration page); choose another name."));
        if (string.IsNullOrWhiteSpace(r.Product)) problems.Add(new(RegistrationFields.Name, "Product: say which product this is (e.g. openshift)."));
        problems.AddRange(ValidateHosts(r.Hosts));
        if (!UserName().IsMatch(r.SshUser)) problems.Add(new(RegistrationFields.Ssh, $"SSH user: '{r.SshUser}' is not a valid user name."));
        if (r.SshPort is < 1 or > 65535) problems.Add(new(RegistrationFields.Ssh, $"SSH port: {r.SshPort} is not a port (1-65535)."));
        if (r.JumpHost is { Length: > 0 } jump)
        {
            try { JumpHost.Parse(jump, r.SshUser); }
            catch (FormatException e) { problems.Add(new(RegistrationFields.JumpHost, $"Jump host: {e.Message}")); }
        }
        if (!string.IsNullOrWhiteSpace(r.KeyPassphrase) && string.IsNullOrWhiteSpace(r.PrivateKey))
            problems.Add(new(RegistrationFields.Key, "SSH key: a passphrase was given but no key; paste or upload the key it unlocks."));
        foreach (var (role, text) in r.Kubeconfigs)
        {
            if (!ApiRoles.All.Contains(role)) { problems.Add(new(RegistrationFields.General, $"Kubeconfig: unknown role '{role}'.")); continue; }
            var inspection = KubeconfigInspection.Inspect(text, r.Contexts.GetValueOrDefault(role) is { Length: > 0 } c ? c : null, $"for the {role} role");
            if (inspection.Problem is { } problem) problems.Add(new(RegistrationFields.Kubeconfig(role), problem));
        }
        foreach (var role in r.RemoveKubeconfigs.Where(role => !ApiRoles.All.Contains(role)))
            problems.Add(new(RegistrationFields.General, $"Kubeconfig: unknown role '{role}'."));
        if (r.Cloud is { } cloud)
        {
            if (r.RemoveCloud) problems.Add(new(RegistrationFields.Cloud, "Cloud account: either change it or remove it, not both."));
            problems.AddRange(cloud.Problems(hasStoredSecret: existing?.Cloud is not null).Select(p => new RegistrationProblem(RegistrationFields.Cloud, p)));
        }
        if (existing is null && r.Kubeconfigs.Count == 0 && string.IsNullOrWhiteSpace(r.PrivateKey))
            problems.Add(new(RegistrationFields.General, "Give at least an SSH key or a kubeconfig: the console must be able to reach the cluster."));
        return problems;
    }

    private static IEnumerable<RegistrationProblem> ValidateHosts(IReadOnlyList<HostInfo> hosts)
    {
        if (hosts.Count == 0) yield return new(RegistrationFields.Hosts, "Hosts: none given; at least the control-plane hosts are needed.");
        else if (!hosts.Any(h => h.IsControlPlane)) yield return new(RegistrationFields.Hosts, "Hosts: no host has the control-plane role; recovery steps run on control-plane hosts.");
        foreach (var dup in hosts.GroupBy(h => h.Name.Trim()).Where(g => g.Count() > 1))
            yield return new(RegistrationFields.Hosts, $"Hosts: '{dup.Key}' appears {dup.Count()} times; each node once.");
        foreach (var h in hosts)
        {
            var name = h.Name.Trim();
            if (!HostName().IsMatch(name))
                yield return new(RegistrationFields.Hosts, name.Length == 0 ? "Hosts: a host has no name." : $"Hosts: '{name}' is not a node name (lowercase letters, digits, '-' and '.').");
            var address = h.Address.Trim();
            if (address.Length == 0 || address.Any(char.IsWhiteSpace) || address.StartsWith('-') || !HostAddress().IsMatch(address))
                yield return new(RegistrationFields.Hosts, $"Hosts: {(name.Length == 0 ? "a host" : name)} needs an address (an IP address or DNS name).");
            if (h.Roles.Count == 0)
                yield return new(RegistrationFields.Hosts, $"Hosts: {(name.Length == 0 ? "a host" : name)} has no role; tick control-plane or worker.");
            foreach (var role in h.Roles.Where(x => x is not (HostRoles.ControlPlane or HostRoles.Worker)))
                yield return new(RegistrationFields.Hosts, $"Hosts: {name} has unknown role '{role}'.");
        }
    }

    private static void Require(Actor actor, string cluster)
    {
        // Registered clusters are real ones: a lab practice account (published password) never changes them.
        if (actor.IsDemo)
            throw new NotAllowedException($"{actor.UserName} is a lab demo account and may not change cluster registrations.");
        // The roles held on this cluster: an operator of the lab may be only a viewer of production.
        var onCluster = actor.On(cluster, isSimulated: false);
        if (!onCluster.IsInRole(Roles.Operator) && !onCluster.IsInRole(Roles.Admin))
            throw new NotAllowedException($"{actor.UserName} may not change cluster registrations: the operator or admin role is needed.");
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex ClusterName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex HostName();

    // A DNS name, an IPv4 address, or an IPv6 address (bare or in brackets).
    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[?[0-9A-Fa-f:.%]+\]?)$")]
    private static partial Regex HostAddress();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$")]
    private static partial Regex UserName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex FactKey();
}

/// <summary>The public facts of what is stored to reach a cluster: never a key, token or certificate key.</summary>
public sealed record ClusterAccessSummary(SshKeyInfo? Key, string? KeyProblem, IReadOnlyList<StoredKubeconfig> Kubeconfigs);

/// <summary>A stored kubeconfig, described: role, chosen context, and what it resolves to (or why it does not).</summary>
public sealed record StoredKubeconfig(string Role, string? Context, KubeconfigSummary? Summary, string? Problem);
