using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Procedures.Parameters;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Api;

/// <summary>
/// Refusals as RFC 7807 problem+json with the RunService's own words: 403 role or four-eyes, 404 unseen or missing,
/// 409 wrong state, 400 bad input. Anything else is not the caller's doing and stays a plain 500 (details in the log).
/// </summary>
public static class ApiProblems
{
    public static async Task<IResult> RefusableAsync(Func<Task<IResult>> command)
    {
        try { return await command(); }
        catch (Exception e) when (CommandErrors.IsForUser(e)) { return From(e); }
    }

    public static IResult From(Exception e) => e switch
    {
        NotAllowedException or ApprovalRefusedException => Problem(StatusCodes.Status403Forbidden, "Refused", e),
        KeyNotFoundException => Problem(StatusCodes.Status404NotFound, "Not found", e),
        ParameterValidationException or ArgumentException => Problem(StatusCodes.Status400BadRequest, "Bad input", e),
        InvalidOperationException => Problem(StatusCodes.Status409Conflict, "Not now", e),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    };

    public static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    private static IResult Problem(int status, string title, Exception e) => Results.Problem(statusCode: status, title: title, detail: CommandErrors.Describe(e));
}
