using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Api;

/// <summary>
/// /api/v1/runs: start, list, read, follow and drive runs through the same RunService calls as the run page and the hub,
/// so every server-side check (roles per cluster, four-eyes, demo accounts, text limits) is the one they meet. A run the
/// caller may not see answers 404 like a missing one. Step paths in URLs are URL-encoded ("/" as %2F).
/// </summary>
public static class RunsApi
{
    public const int MaxTake = 1000;

    public sealed record StartRunBody(string ProcedureId, string Cluster, Dictionary<string, string?>? Parameters = null,
        Dictionary<string, string>? Clusters = null);

    public sealed record RetryRunBody(Dictionary<string, string?>? Parameters = null, string? Cluster = null, Dictionary<string, string>? Clusters = null);

    public sealed record StartedRun(Guid Id, string Url);

    public sealed record RunSummary(Guid Id, string ProcedureId, string ProcedureTitle, string Cluster, IReadOnlyList<string> Clusters, bool IsDrill,
        string StartedBy, RunStatus Status, string? StatusReason, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
        Guid? PreviousRunId)
    {
        public static RunSummary From(Run r) => new(r.Id, r.ProcedureId, r.ProcedureTitle, r.ClusterName, r.ClusterNames.ToList(), r.IsDrill, r.StartedBy,
            r.Status, r.StatusReason, r.CreatedAt, r.StartedAt, r.EndedAt, r.PreviousRunId);
    }

    public sealed record ApproveBody(string? Reason = null, string? ReviewedHash = null);
    public sealed record ReasonBody(string? Reason);
    public sealed record NoteBody(string? Note);
    public sealed record InputBody(string[]? Answer);
    public sealed record ResumeBody(string? Note, Dictionary<string, string?>? Secrets = null);

    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/runs").WithTags("Runs");

        runs.MapPost("/", StartAsync).WithName("StartRun").WithSummary("Start a run")
            .WithDescription("Operator role on every cluster of the run. For a multi-cluster procedure, Clusters maps each role to a cluster (the first "
                + "role's is Cluster). 201 with the run's id; 400 bad parameters or a procedure that does not apply; 403 role; 409 the cluster has an active run.")
            .Produces<StartedRun>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(403).ProducesProblem(409);

        runs.MapGet("/", ListAsync).WithName("ListRuns").WithSummary("List runs, newest first")
            .WithDescription("Filters as on the History page; only runs on clusters where the caller holds a role (on each cluster of the run).");

        runs.MapGet("/{id:guid}", GetAsync).WithName("GetRun").WithSummary("A run: its state, steps and approvals")
            .WithDescription("The same snapshot the run page shows. A pending approval carries BindingText (what it covers) and BindingHash (send it as "
                + "ReviewedHash to approve exactly that).").Produces<RunView>().ProducesProblem(404);

        runs.MapGet("/{id:guid}/transcript", TranscriptAsync).WithName("GetTranscript").WithSummary("Stored transcript lines after a sequence")
            .WithDescription($"Lines with Sequence > after, at most take (default and maximum {MaxTake}); sequences are dense from 1.")
            .Produces<IReadOnlyList<LineDto>>().ProducesProblem(404);

        runs.MapGet("/{id:guid}/events", RunEventStream.FollowAsync).WithName("FollowRun").WithSummary("Follow a run live (NDJSON or server-sent events)")
            .WithDescription("Everything after sequence `after`: stored lines, a snapshot, then live events, no gap, no duplicate, as the run page sees "
                + "them. One JSON object per event: kind \"state\" with run (a snapshot) or kind \"lines\" with lines. Accept: text/event-stream gives "
                + "server-sent events, anything else application/x-ndjson. The stream ENDS by itself once the run is over (Succeeded, Cancelled) or "
                + "waits for nobody but a resume (Failed, Interrupted; the last state says which). After a resume, follow again from the last sequence.")
            .ProducesProblem(404);

        var steps = runs.MapGroup("/{id:guid}/steps/{step}");
        steps.MapPost("/approve", (Guid id, string step, ApproveBody? body, HttpContext http, RunAccess access, RunService service) =>
                CommandAsync(id, http, access, a => service.ApproveAsync(id, StepPath(step), a, body?.Reason, http.RequestAborted, body?.ReviewedHash)))
            .WithName("ApproveStep").WithSummary("Approve a destructive step (four-eyes)")
            .WithDescription("Approver role on every cluster of the run, and not somebody who drove it (started, resumed, confirmed, answered). With "
                + "ReviewedHash the approval is refused if the step's binding changed since it was read.");
        steps.MapPost("/reject", (Guid id, string step, ReasonBody body, HttpContext http, RunAccess access, RunService service) =>
                CommandAsync(id, http, access, a => service.RejectAsync(id, StepPath(step), a, body.Reason ?? "", http.RequestAborted)))
            .WithName("RejectStep").WithSummary("Reject a destructive step (final: the run cannot resume)");
        steps.MapPost("/confirm", (Guid id, string step, NoteBody body, HttpContext http, RunAccess access, RunService service) =>
                CommandAsync(id, http, access, a => service.ConfirmAsync(id, StepPath(step), a, body.Note ?? "", http.RequestAborted)))
            .WithName("ConfirmStep").WithSummary("Confirm a manual step (or reviewed values) with a note of what was done");
        steps.MapPost("/input", (Guid id, string step, InputBody body, HttpContext http, RunAccess access, RunService service) =>
                CommandAsync(id, http, access, a => service.ProvideInputAsync(id, StepPath(step), a, body.Answer ?? [], http.RequestAborted)))
            .WithName("AnswerStep").WithSummary("Answer a step's question: the chosen option values, or one text")
            .WithDescription("Checked against what the step asked (options, pattern); a manual step's confirmation cannot stand in for it.");

        runs.MapPost("/{id:guid}/cancel", (Guid id, ReasonBody body, HttpContext http, RunAccess access, RunService service) =>
                CommandAsync(id, http, access, a => service.CancelAsync(id, a, body.Reason ?? "", http.RequestAborted)))
            .WithName("CancelRun").WithSummary("Cancel an active run, with a reason");
        runs.MapPost("/{id:guid}/resume", (Guid id, ResumeBody body, HttpContext http, RunAccess access, RunService service) =>
                CommandAsync(id, http, access, a => service.ResumeAsync(id, a, body.Note ?? "", http.RequestAborted, body.Secrets)))
            .WithName("ResumeRun").WithSummary("Resume a failed or interrupted run, with a note")
            .WithDescription("Preflight again; refused when the procedure file changed or a step was rejected. Secret parameters are asked again (Secrets).");
        runs.MapPost("/{id:guid}/retry", RetryAsync).WithName("RetryRun").WithSummary("Start a new run with corrected parameters, linked to this one")
            .WithDescription("Same procedure; the old run must be failed, cancelled or interrupted. Cluster and Clusters default to the old run's.")
            .Produces<StartedRun>(StatusCodes.Status201Created);
        return api;
    }

    /// <summary>"%2F" stays encoded in a route value: a step path arrives as sent.</summary>
    private static string StepPath(string routeValue) => Uri.UnescapeDataString(routeValue);

    private static Task<IResult> StartAsync(StartRunBody body, HttpContext http, RunService service) =>
        ApiProblems.RefusableAsync(async () =>
        {
            var id = await service.StartAsync(new StartRunRequest(body.ProcedureId ?? "", body.Cluster ?? "", body.Parameters ?? [], body.Clusters),
                http.Actor(), http.RequestAborted);
            return Started(id);
        });

    private static Task<IResult> RetryAsync(Guid id, RetryRunBody? body, HttpContext http, RunAccess access, RunService service) =>
        ApiProblems.RefusableAsync(async () =>
        {
            if (await access.FindVisibleAsync(id, http.User, http.RequestAborted) is not { } previous) return ApiProblems.NotFound($"No run {id}.");
            var clusters = body?.Clusters ?? (previous.ClusterRoles.Count > 0 ? previous.ClusterRoles.ToDictionary(r => r.Key, r => r.Value) : null);
            var started = await service.StartAsync(new StartRunRequest(previous.ProcedureId, body?.Cluster ?? previous.ClusterName, body?.Parameters ?? [],
                clusters, previous.Id), http.Actor(), http.RequestAborted);
            return Started(started);
        });

    private static IResult Started(Guid id) => Results.Created($"/api/v1/runs/{id}", new StartedRun(id, $"/runs/{id}"));

    private static async Task<IResult> ListAsync(HttpContext http, IRunRepository repository, string? cluster, string? procedure, string? user,
        RunStatus? status, DateTimeOffset? from, DateTimeOffset? to, string? text, int? skip, int? take)
    {
        var query = new RunQuery
        {
            Cluster = cluster, Procedure = procedure, User = user, Status = status, From = from, To = to, Text = text,
            Skip = Math.Max(0, skip ?? 0), Take = Math.Clamp(take ?? 100, 1, MaxTake),
        };
        var found = await repository.ListAsync(query, http.RequestAborted);
        return Results.Ok(found.Where(r => RunAccess.MaySee(http.User, r)).Select(RunSummary.From).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, RunAccess access) =>
        await access.FindVisibleAsync(id, http.User, http.RequestAborted) is { } run ? Results.Ok(RunView.From(run)) : ApiProblems.NotFound($"No run {id}.");

    private static async Task<IResult> TranscriptAsync(Guid id, long? after, int? take, HttpContext http, RunAccess access, ITranscriptStore transcripts)
    {
        if (await access.FindVisibleAsync(id, http.User, http.RequestAborted) is null) return ApiProblems.NotFound($"No run {id}.");
        var lines = await transcripts.ReadAsync(id, Math.Max(0, after ?? 0), Math.Clamp(take ?? MaxTake, 1, MaxTake), http.RequestAborted);
        return Results.Ok(lines.Select(LineDto.From).ToList());
    }

    /// <summary>Visible first (an unseen run is a missing one), then the RunService command; refusals as problems.</summary>
    private static Task<IResult> CommandAsync(Guid id, HttpContext http, RunAccess access, Func<Orchestration.Approvals.Actor, Task> command) =>
        ApiProblems.RefusableAsync(async () =>
        {
            if (await access.FindVisibleAsync(id, http.User, http.RequestAborted) is null) return ApiProblems.NotFound($"No run {id}.");
            await command(http.Actor());
            return Results.NoContent();
        });
}
