using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Kubernetes.Checks;

public enum CheckOutcome { Passed, Failed, Skipped }

/// <summary>One line of the "test connection" answer: an outcome and a sentence an operator can act on.</summary>
public sealed record CheckResult(CheckOutcome Outcome, string Sentence)
{
    public bool Passed => Outcome == CheckOutcome.Passed;

    internal static CheckResult Pass(string sentence) => new(CheckOutcome.Passed, sentence);
    internal static CheckResult Fail(string sentence) => new(CheckOutcome.Failed, sentence);
    internal static CheckResult Skip(string sentence) => new(CheckOutcome.Skipped, sentence);
}

/// <summary>What "test connection" found for an API server, plus the kubeconfig's warnings.</summary>
public sealed record ConnectionReport(CheckResult Reachable, CheckResult Authenticated, CheckResult ClusterAdmin, IReadOnlyList<string> Warnings)
{
    public bool AllPassed => Reachable.Passed && Authenticated.Passed && ClusterAdmin.Passed;

    public IEnumerable<CheckResult> Results => [Reachable, Authenticated, ClusterAdmin];
}

/// <summary>
/// The API half of "test connection": reachable (GET /version, which even anonymous users may read), authenticated
/// (a SelfSubjectReview says who we are; older servers: an access review, which anonymous requests cannot make), and
/// cluster-admin (an access review for every verb on every resource). Each step runs only if the one before passed.
/// </summary>
public static class ConnectionCheck
{
    private const string AccessReviews = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private const string SelfReviews = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    public static async Task<ConnectionReport> RunAsync(KubernetesClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var server = client.Server.GetLeftPart(UriPartial.Authority);
        var user = client.Connection.UserName;

        ApiResponse version;
        try
        {
            version = await client.SendAsync(new ApiRequest("GET", "/version"), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiUnreachableException e)
        {
            return Stop(client, CheckResult.Fail($"The API server at {server} could not be reached: {Reason(e)}."));
        }
        CheckResult reachable;
        if (version.IsSuccess)
            reachable = CheckResult.Pass($"The API server at {server} answered (Kubernetes {Field(version.Body, "gitVersion") ?? "version unknown"}).");
        else if (version.Status is 401 or 403)
            reachable = CheckResult.Pass($"The API server at {server} answered (its version is not public here).");
        else
            return Stop(client, CheckResult.Fail($"The API server at {server} answered GET /version with HTTP {version.Status}: is this a Kubernetes API server?"));

        var (authenticated, name) = await WhoAmIAsync(client, user, cancellationToken).ConfigureAwait(false);
        if (!authenticated.Passed)
            return new ConnectionReport(reachable, authenticated, CheckResult.Skip("Cluster-admin was not checked: the login failed."), client.Warnings);

        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = new JsonObject { ["verb"] = "*", ["group"] = "*", ["resource"] = "*" } },
        };
        var answer = await client.SendAsync(new ApiRequest("POST", AccessReviews, review.ToJsonString(), "application/json"), cancellationToken).ConfigureAwait(false);
        CheckResult admin;
        if (!answer.IsSuccess)
            admin = CheckResult.Fail($"Whether {name} is cluster-admin could not be checked: the access review answered HTTP {answer.Status}.");
        else if (Field(answer.Body, "status", "allowed") == "true")
            admin = CheckResult.Pass($"{name} is cluster-admin: allowed every action on every resource.");
        else
            admin = CheckResult.Fail($"{name} is not cluster-admin: recovery procedures need every verb on every resource. Use the installer's kubeconfig (system:admin) or a cluster-admin user.");
        return new ConnectionReport(reachable, authenticated, admin, client.Warnings);
    }

    private static async Task<(CheckResult Result, string Name)> WhoAmIAsync(KubernetesClient client, string kubeconfigUser, CancellationToken cancellationToken)
    {
        var fallback = kubeconfigUser.Length == 0 ? "The kubeconfig user" : $"User '{kubeconfigUser}'";
        var self = new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "SelfSubjectReview" };
        var answer = await client.SendAsync(new ApiRequest("POST", SelfReviews, self.ToJsonString(), "application/json"), cancellationToken).ConfigureAwait(false);
        if (answer.Status == 404)
        {
            // Before Kubernetes 1.28 there is no "who am I"; an access review also requires a known user.
            var probe = new JsonObject
            {
                ["apiVersion"] = "authorization.k8s.io/v1",
                ["kind"] = "SelfSubjectAccessReview",
                ["spec"] = new JsonObject { ["resourceAttributes"] = new JsonObject { ["verb"] = "get", ["resource"] = "namespaces" } },
            };
            answer = await client.SendAsync(new ApiRequest("POST", AccessReviews, probe.ToJsonString(), "application/json"), cancellationToken).ConfigureAwait(false);
        }
        if (answer.Status == 401)
            return (CheckResult.Fail($"{fallback} was refused (401 Unauthorized): the client certificate or token is missing, not issued by this cluster, or expired."), fallback);
        if (answer.Status == 403)
            return (CheckResult.Fail($"{fallback} was not recognised (403 Forbidden: {Field(answer.Body, "message") ?? "no message"}); the request was probably anonymous."), fallback);
        if (!answer.IsSuccess)
            return (CheckResult.Fail($"{fallback} could not be checked: the API server answered HTTP {answer.Status}."), fallback);
        var name = Field(answer.Body, "status", "userInfo", "username");
        if (name == "system:anonymous")
            return (CheckResult.Fail("The API server knows the request only as system:anonymous: the kubeconfig's credentials were not accepted."), name);
        return name is null
            ? (CheckResult.Pass($"{fallback} is authenticated."), fallback)
            : (CheckResult.Pass($"Authenticated as {name}."), name);
    }

    private static ConnectionReport Stop(KubernetesClient client, CheckResult reachable) => new(
        reachable,
        CheckResult.Skip("The login was not checked: the API server did not answer."),
        CheckResult.Skip("Cluster-admin was not checked: the API server did not answer."),
        client.Warnings);

    private static string Reason(ApiUnreachableException e)
    {
        const string marker = "could not be reached: ";
        var at = e.Message.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? e.Message : e.Message[(at + marker.Length)..];
    }

    private static string? Field(string json, params string[] path)
    {
        try
        {
            JsonNode? node = JsonNode.Parse(json);
            foreach (var key in path) node = node?[key];
            if (node is not JsonValue value) return null;
            if (value.TryGetValue<string>(out var text)) return text;
            return value.TryGetValue<bool>(out var flag) ? (flag ? "true" : "false") : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
