using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.ApplicabilityRules;

/// <summary>
/// Does a procedure's <c>applies</c> (product, versions) cover a cluster? A pure function: the wizard shows its
/// reason, and the engine calls it again to refuse a start on the server. An unknown cluster version does not
/// match a version range: running a 4.12 procedure on a release nobody recorded is how wrong scripts get run.
/// </summary>
public static class ApplicabilityCheck
{
    public static ApplicabilityVerdict Evaluate(Applicability applies, string clusterName, string clusterProduct, string clusterVersion)
    {
        ArgumentNullException.ThrowIfNull(applies);
        var wanted = ProductName(applies.Product);
        if (applies.Product.Length > 0 && !string.Equals(applies.Product.Trim(), (clusterProduct ?? "").Trim(), StringComparison.OrdinalIgnoreCase))
            return new(false, $"This procedure is for {wanted}; {clusterName} is {ProductName(clusterProduct ?? "")} {clusterVersion}".TrimEnd() + ".");

        if (VersionRange.TryParse(applies.Versions, out var error) is not { } range)
            return new(false, $"This procedure's versions cannot be read ({error}); fix the procedure file.");
        if (range.IsAny) return ApplicabilityVerdict.Yes;
        if (ReleaseVersion.TryParse(clusterVersion) is not { } version)
            return new(false, $"This procedure is for {wanted} {range.Describe()}; the version of {clusterName} is not known. Record it on the cluster's page first.");
        return range.Contains(version)
            ? ApplicabilityVerdict.Yes
            : new(false, $"This procedure is for {wanted} {range.Describe()}; {clusterName} runs {clusterVersion.Trim()}.");
    }

    /// <inheritdoc cref="Evaluate(Applicability, string, string, string)"/>
    public static ApplicabilityVerdict Evaluate(Procedure procedure, string clusterName, string clusterProduct, string clusterVersion) =>
        Evaluate((procedure ?? throw new ArgumentNullException(nameof(procedure))).Applies, clusterName, clusterProduct, clusterVersion);

    /// <summary>
    /// A multi-cluster procedure's role: its own product replaces the procedure's, whose version range then does not apply
    /// (a hosted cluster's release is not its management cluster's).
    /// </summary>
    public static Applicability ForRole(Procedure procedure, ClusterRole role)
    {
        ArgumentNullException.ThrowIfNull(procedure);
        ArgumentNullException.ThrowIfNull(role);
        return role.Product is null || string.Equals(role.Product, procedure.Applies.Product, StringComparison.OrdinalIgnoreCase)
            ? procedure.Applies
            : new Applicability { Product = role.Product, Versions = "" };
    }

    /// <summary>Does the cluster fit the role (its product, and the procedure's versions where they apply)?</summary>
    public static ApplicabilityVerdict Evaluate(Procedure procedure, ClusterRole role, string clusterName, string clusterProduct, string clusterVersion) =>
        Evaluate(ForRole(procedure, role), clusterName, clusterProduct, clusterVersion);

    private static string ProductName(string product) => product.Trim().ToLowerInvariant() switch
    {
        "openshift" => "OpenShift",
        "" => "an unknown product",
        _ => product.Trim(),
    };
}
