using System.Text;
using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Config;
using RecoveryConsole.Transports.Ssh;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// Registers, changes and removes real clusters. Everything is checked before anything is stored (a kubeconfig that
/// does not resolve, a key ssh cannot read, a host list without a control-plane host), and every change is audited.
/// </summary>
public sealed partial class ClusterRegistration(
    IClusterDefinitions definitions, ISecretStore secrets, ISshKeyStore keys, ConsoleClusterRegistry registry, IAuditLog audit, TimeProvider clock)
{
    public async Task<ClusterDefinition> SaveAsync(ClusterRegistrationRequest request, Actor actor, CancellationToken cancellationToken)
    {
        Require(actor);
        var existing = await definitions.FindAsync(request.Name, cancellationToken);
        if (existing is null && registry.IsSimulated(request.Name))
            throw new ClusterRegistrationException([$"'{request.Name}' is the name of a simulated lab cluster."]);
        var problems = Validate(request, existing);
        if (problems.Count > 0) throw new ClusterRegistrationException(problems);

        string? keyId = existing?.Ssh.KeySecretId;
        if (request.PrivateKey is { Length: > 0 } key)
        {
            try { keyId = (await keys.ImportAsync(request.Name, key, request.KeyPassphrase, cancellationToken)).KeyId; }
            catch (SshKeyImportException e) { throw new ClusterRegistrationException([$"SSH key: {e.Message}"]); }
        }

        var apis = (existing?.Apis ?? []).Where(a => !request.Kubeconfigs.ContainsKey(a.Role)).ToList();
        foreach (var (role, text) in request.Kubeconfigs)
        {
            var id = await secrets.PutAsync("kubeconfig", Encoding.UTF8.GetBytes(text), cancellationToken);
            apis.Add(new ApiAccess { Role = role, KubeconfigSecretId = id, Context = request.Contexts.GetValueOrDefault(role) });
            if (existing?.Api(role) is { } replaced) await secrets.DeleteAsync(replaced.KubeconfigSecretId, cancellationToken);
        }

        var definition = new ClusterDefinition
        {
            Name = request.Name,
            Product = request.Product,
            Version = request.Version,
            Hosts = request.Hosts,
            Ssh = new SshAccess { User = request.SshUser, Port = request.SshPort, KeySecretId = keyId, JumpHost = request.JumpHost },
            Apis = apis,
            Facts = request.Facts ?? existing?.Facts ?? new Dictionary<string, string>(),
            InventoryCapturedAt = existing?.InventoryCapturedAt,
            InventorySource = request.Facts is null ? existing?.InventorySource ?? "" : $"entered by {actor.UserName}",
        };
        await definitions.SaveAsync(definition, cancellationToken);
        await registry.RefreshAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.ClusterRegistered, null,
            $"{(existing is null ? "registered" : "changed")} {definition.Name}: {definition.Hosts.Count} hosts, ssh {definition.Ssh.User}@:{definition.Ssh.Port}" +
            $"{(request.PrivateKey is { Length: > 0 } ? ", new key" : "")}{(request.Kubeconfigs.Count > 0 ? $", kubeconfig for {string.Join(", ", request.Kubeconfigs.Keys)}" : "")}"),
            cancellationToken);
        return definition;
    }

    /// <summary>Saves an inventory captured from the API, or corrected by the operator, with its time and source.</summary>
    public async Task<ClusterDefinition> SaveInventoryAsync(string name, IReadOnlyList<HostInfo> hosts, IReadOnlyDictionary<string, string> facts,
        string version, string source, Actor actor, CancellationToken cancellationToken)
    {
        Require(actor);
        var existing = await definitions.FindAsync(name, cancellationToken) ?? throw new KeyNotFoundException($"No registered cluster {name}.");
        var updated = existing with
        {
            Hosts = hosts.Count > 0 ? hosts : existing.Hosts,
            Facts = facts,
            Version = version.Length > 0 ? version : existing.Version,
            InventoryCapturedAt = clock.GetUtcNow(),
            InventorySource = source,
        };
        await definitions.SaveAsync(updated, cancellationToken);
        await registry.RefreshAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.InventoryCaptured, null,
            $"{name}: {source}; {updated.Hosts.Count} hosts; {string.Join(", ", facts.Select(f => $"{f.Key}={f.Value}"))}"), cancellationToken);
        return updated;
    }

    public async Task RemoveAsync(string name, Actor actor, CancellationToken cancellationToken)
    {
        Require(actor);
        var existing = await definitions.FindAsync(name, cancellationToken) ?? throw new KeyNotFoundException($"No registered cluster {name}.");
        foreach (var api in existing.Apis) await secrets.DeleteAsync(api.KubeconfigSecretId, cancellationToken);
        if (existing.Ssh.KeySecretId is { } keyId) await keys.DeleteAsync(keyId, cancellationToken);
        await definitions.DeleteAsync(name, cancellationToken);
        await registry.RefreshAsync(cancellationToken);
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.ClusterRemoved, null, name), cancellationToken);
    }

    private static List<string> Validate(ClusterRegistrationRequest r, ClusterDefinition? existing)
    {
        var problems = new List<string>();
        if (!ClusterName().IsMatch(r.Name)) problems.Add("Name: lowercase letters, digits and '-', at most 63 characters.");
        if (r.Hosts.Count == 0) problems.Add("Hosts: at least the control-plane hosts are needed.");
        if (!r.Hosts.Any(h => h.IsControlPlane)) problems.Add("Hosts: no host has the control-plane role.");
        foreach (var dup in r.Hosts.GroupBy(h => h.Name).Where(g => g.Count() > 1)) problems.Add($"Hosts: '{dup.Key}' appears twice.");
        foreach (var h in r.Hosts)
        {
            if (!HostName().IsMatch(h.Name)) problems.Add($"Hosts: '{h.Name}' is not a node name.");
            if (string.IsNullOrWhiteSpace(h.Address) || h.Address.Any(char.IsWhiteSpace) || h.Address.StartsWith('-'))
                problems.Add($"Hosts: {h.Name} needs an address (IP or DNS name).");
            foreach (var role in h.Roles.Where(x => x is not (HostRoles.ControlPlane or HostRoles.Worker)))
                problems.Add($"Hosts: {h.Name} has unknown role '{role}'.");
        }
        if (!UserName().IsMatch(r.SshUser)) problems.Add($"SSH user '{r.SshUser}' is not a valid user name.");
        if (r.SshPort is < 1 or > 65535) problems.Add("SSH port must be 1-65535.");
        if (r.JumpHost is { Length: > 0 } jump)
        {
            try { JumpHost.Parse(jump, r.SshUser); }
            catch (FormatException e) { problems.Add($"Jump host: {e.Message}"); }
        }
        foreach (var (role, text) in r.Kubeconfigs)
        {
            if (!ApiRoles.All.Contains(role)) { problems.Add($"Kubeconfig: unknown role '{role}'."); continue; }
            try
            {
                using var _ = Kubeconfig.Parse(text, $"the {role} kubeconfig").Resolve(r.Contexts.GetValueOrDefault(role));
            }
            catch (KubeconfigException e) { problems.Add($"Kubeconfig ({role}): {e.Message}"); }
        }
        if (existing is null && r.Kubeconfigs.Count == 0 && r.PrivateKey is null)
            problems.Add("Give at least an SSH key or a kubeconfig: the console must be able to reach the cluster.");
        return problems;
    }

    private static void Require(Actor actor)
    {
        if (!actor.IsInRole(Roles.Operator) && !actor.IsInRole(Roles.Admin))
            throw new NotAllowedException($"{actor.UserName} may not change cluster registrations: the operator or admin role is needed.");
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex ClusterName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex HostName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$")]
    private static partial Regex UserName();
}
