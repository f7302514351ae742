namespace RecoveryConsole.Transports.Kubernetes;

/// <summary>401: the credentials were missing, invalid or expired (the server knows nobody by them).</summary>
public sealed class KubernetesUnauthorizedException : KubernetesApiException
{
    internal KubernetesUnauthorizedException(ApiFailure failure, string? user)
        : base(failure, $"The API server did not accept the credentials{(string.IsNullOrEmpty(user) ? "" : $" of kubeconfig user '{user}'")}: the client certificate or token is missing, not signed by this cluster, or expired")
    {
    }
}

/// <summary>403: authenticated, but RBAC does not allow this action.</summary>
public sealed class KubernetesForbiddenException : KubernetesApiException
{
    internal KubernetesForbiddenException(ApiFailure failure)
        : base(failure, "The user is known but not allowed to do this; recovery procedures need cluster-admin")
    {
    }
}

/// <summary>404: the object (or the resource type: a CRD not installed) does not exist.</summary>
public sealed class KubernetesNotFoundException : KubernetesApiException
{
    internal KubernetesNotFoundException(ApiFailure failure)
        : base(failure)
    {
    }
}

/// <summary>409: the object changed since it was read (stale resourceVersion), a precondition failed, or it already exists.</summary>
public sealed class KubernetesConflictException : KubernetesApiException
{
    internal KubernetesConflictException(ApiFailure failure)
        : base(failure, failure.Reason == "AlreadyExists"
            ? "An object with this name already exists"
            : "Someone changed the object since it was read; read it again and re-apply the change")
    {
    }

    public bool IsAlreadyExists => Reason == "AlreadyExists";
}

/// <summary>410: a resourceVersion or continue token too old for the server's history (compacted); list again.</summary>
public sealed class KubernetesGoneException : KubernetesApiException
{
    internal KubernetesGoneException(ApiFailure failure)
        : base(failure, "The resourceVersion is older than the server's history; start again from a fresh list")
    {
    }
}

/// <summary>415: the patch type is not accepted; typically a strategic merge patch sent to a custom resource.</summary>
public sealed class KubernetesUnsupportedMediaTypeException : KubernetesApiException
{
    internal KubernetesUnsupportedMediaTypeException(ApiFailure failure, string? requestContentType)
        : base(failure, requestContentType?.StartsWith(PatchContentTypes.StrategicMerge, StringComparison.Ordinal) == true
            ? "Custom resources (operator, machine, hosted-cluster objects) do not accept strategic merge patches; send a merge patch instead"
            : null)
    {
        RequestContentType = requestContentType;
    }

    public string? RequestContentType { get; }
}

/// <summary>422: the object or patch is invalid; <see cref="KubernetesApiException.Causes"/> names the fields.</summary>
public sealed class KubernetesInvalidException : KubernetesApiException
{
    internal KubernetesInvalidException(ApiFailure failure)
        : base(failure)
    {
    }
}

/// <summary>429 or 5xx: the API server is overloaded or failing. Idempotent requests were retried a bounded number of times first.</summary>
public sealed class KubernetesUnavailableException : KubernetesApiException
{
    internal KubernetesUnavailableException(ApiFailure failure)
        : base(failure, failure.Attempts > 1 ? $"Gave up after {failure.Attempts} attempts"
            : failure.Method is "POST" or "PATCH" or "PUT" ? $"Not retried: this {failure.Method} may already have taken effect, so it is never sent twice blindly"
            : null)
    {
    }
}
