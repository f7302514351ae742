using System.Collections.Concurrent;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Transports.Ssh.HostKeys;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// Four-eyes for replacing a trusted host key, as for a destructive step: an operator requests the replacement (the host
/// must offer the new key now), and a different person with the approver role approves it; only then is known_hosts
/// changed. Every request, refusal, rejection and the replacement itself is audited. Pending requests live in memory: a
/// console restart drops them (nothing is trusted by that), and the requester asks again.
/// </summary>
public sealed class HostKeyReplacements(HostKeyTrust trust, IAuditLog audit, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, HostKeyReplacementRequest> _pending = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IReadOnlyList<HostKeyReplacementRequest> Pending(string cluster) =>
        _pending.Values.Where(r => r.Cluster == cluster).OrderBy(r => r.RequestedAt).ToList();

    /// <exception cref="InvalidOperationException">The host does not offer that key, the key is already trusted, nothing is trusted yet, or a request for the host is pending.</exception>
    public async Task<HostKeyReplacementRequest> RequestAsync(string cluster, string host, string fingerprint, string reason, Actor actor, CancellationToken cancellationToken)
    {
        HostKeyTrust.RequireOperator(actor, "request a host key replacement");
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("Say why the key changed (reinstalled host, rotated keys): the approver decides on it.");
        var key = await trust.OfferedAsync(cluster, host, fingerprint, cancellationToken);
        var trusted = await trust.TrustedAsync(cluster, host, cancellationToken);
        if (trusted.Count == 0)
            throw new InvalidOperationException($"{host} has no trusted key yet: accept the key instead of replacing one.");
        if (trusted.Any(t => t.Fingerprint == fingerprint))
            throw new InvalidOperationException($"{host}'s key {fingerprint} is already trusted: there is nothing to replace.");
        await _gate.WaitAsync(cancellationToken);
        HostKeyReplacementRequest request;
        try
        {
            if (_pending.Values.FirstOrDefault(r => r.Cluster == cluster && r.Host == host) is { } open)
                throw new InvalidOperationException($"A replacement of {host}'s key is already waiting for approval ({open.Describe()}): approve or reject it first.");
            request = new HostKeyReplacementRequest(Guid.NewGuid(), cluster, host, key.Label, key.Fingerprint,
                trusted.Select(t => t.Fingerprint).ToList(), reason.Trim(), actor.UserName, clock.GetUtcNow());
            _pending[request.Id] = request;
        }
        finally { _gate.Release(); }
        await AuditAsync(actor, AuditKinds.HostKeyReplacementRequested, request.Describe());
        return request;
    }

    /// <summary>
    /// A second person approves: the host must still offer the requested key and known_hosts must still trust what it
    /// trusted when the request was made; otherwise the request is dropped and must be made again.
    /// </summary>
    /// <exception cref="ApprovalRefusedException">The approver lacks the approver role or made the request (audited).</exception>
    public async Task<AcceptedHostKey> ApproveAsync(Guid requestId, Actor approver, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var request = Find(requestId);
            await RequireSecondApproverAsync(request, approver, "approve");
            var trusted = (await trust.TrustedAsync(request.Cluster, request.Host, cancellationToken)).Select(t => t.Fingerprint).Order(StringComparer.Ordinal);
            if (!trusted.SequenceEqual(request.TrustedFingerprints.Order(StringComparer.Ordinal)))
                throw await DroppedAsync(request, approver, "the keys trusted for the host changed since it was requested");
            ScannedHostKey key;
            try { key = await trust.OfferedAsync(request.Cluster, request.Host, request.NewFingerprint, cancellationToken); }
            catch (InvalidOperationException e) { throw await DroppedAsync(request, approver, e.Message); }
            var accepted = await trust.TrustAsync(request.Cluster, request.Host, key, replace: true,
                $"; requested by {request.RequestedBy} ({request.Reason}), approved by {approver.UserName}", approver, cancellationToken);
            _pending.TryRemove(request.Id, out _);
            return accepted;
        }
        finally { _gate.Release(); }
    }

    /// <summary>The approver says no (with a reason), or the requester withdraws the request.</summary>
    public async Task RejectAsync(Guid requestId, Actor actor, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new ArgumentException("A rejection needs a reason.");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var request = Find(requestId);
            var withdrawing = string.Equals(actor.UserName, request.RequestedBy, StringComparison.OrdinalIgnoreCase);
            if (!withdrawing) await RequireSecondApproverAsync(request, actor, "reject");
            _pending.TryRemove(request.Id, out _);
            await AuditAsync(actor, AuditKinds.HostKeyReplacementRejected, $"{request.Describe()}: {(withdrawing ? "withdrawn" : "rejected")}: {reason.Trim()}");
        }
        finally { _gate.Release(); }
    }

    private HostKeyReplacementRequest Find(Guid requestId) => _pending.GetValueOrDefault(requestId)
        ?? throw new KeyNotFoundException("That host key replacement is no longer pending (decided, withdrawn, or the console restarted): request it again if it is still needed.");

    private async Task RequireSecondApproverAsync(HostKeyReplacementRequest request, Actor actor, string what)
    {
        string? refusal = null;
        // The approver role must hold on the host's cluster (per-cluster roles); host keys belong to real clusters only.
        if (!actor.On(request.Cluster, isSimulated: false).IsInRole(Roles.Approver))
            refusal = $"{actor.UserName} does not have the approver role and may not {what} a host key replacement.";
        else if (string.Equals(actor.UserName, request.RequestedBy, StringComparison.OrdinalIgnoreCase))
            refusal = $"{actor.UserName} requested this host key replacement and cannot {what} it: a second person must.";
        if (refusal is null) return;
        await AuditAsync(actor, AuditKinds.HostKeyReplacementRefused, $"{request.Describe()}: {refusal}");
        throw new ApprovalRefusedException(refusal);
    }

    private async Task<InvalidOperationException> DroppedAsync(HostKeyReplacementRequest request, Actor approver, string why)
    {
        _pending.TryRemove(request.Id, out _);
        await AuditAsync(approver, AuditKinds.HostKeyReplacementRefused, $"{request.Describe()}: dropped, {why}");
        return new InvalidOperationException($"Nothing was trusted and the request was dropped: {why}. Scan the host again and make a new request.");
    }

    private Task AuditAsync(Actor actor, string kind, string detail) =>
        audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, kind, null, detail), CancellationToken.None);
}
