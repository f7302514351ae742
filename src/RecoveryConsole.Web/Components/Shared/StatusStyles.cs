using Radzen;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Web.Components.Shared;

/// <summary>One colour and one icon per state, the same on every page.</summary>
public static class StatusStyles
{
    public static BadgeStyle Of(RunStatus s) => s switch
    {
        RunStatus.Succeeded => BadgeStyle.Success,
        RunStatus.Failed => BadgeStyle.Danger,
        RunStatus.Cancelled => BadgeStyle.Secondary,
        RunStatus.Interrupted => BadgeStyle.Warning,
        RunStatus.WaitingForApproval or RunStatus.WaitingForOperator => BadgeStyle.Warning,
        RunStatus.Running => BadgeStyle.Info,
        _ => BadgeStyle.Light,
    };

    public static string Label(RunStatus s) => s switch
    {
        RunStatus.WaitingForApproval => "Waiting for approval",
        RunStatus.WaitingForOperator => "Waiting for operator",
        _ => s.ToString(),
    };

    public static string Icon(StepStatus? s) => s switch
    {
        StepStatus.Running => "progress_activity",
        StepStatus.WaitingForApproval => "front_hand",
        StepStatus.WaitingForOperator => "person_alert",
        StepStatus.Succeeded => "check_circle",
        StepStatus.Failed => "cancel",
        StepStatus.Skipped => "step_over",
        StepStatus.Cancelled => "block",
        StepStatus.Interrupted => "bolt",
        _ => "radio_button_unchecked",
    };

    /// <summary>CSS class for a step state (colour; spinning for running).</summary>
    public static string Css(StepStatus? s) => "rc-st-" + (s?.ToString().ToLowerInvariant() ?? "pending");
}
