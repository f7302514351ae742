using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Procedures.Parameters;

namespace RecoveryConsole.Web.Runs;

/// <summary>The refusals a command can meet, whose message is meant for the person who sent it.</summary>
public static class CommandErrors
{
    public static bool IsForUser(Exception e) => e is NotAllowedException or ApprovalRefusedException or InvalidOperationException
        or ArgumentException or ParameterValidationException or KeyNotFoundException;

    public static string Describe(Exception e) => e switch
    {
        KeyNotFoundException => e.Message.Trim('\''),
        _ => e.Message,
    };
}
