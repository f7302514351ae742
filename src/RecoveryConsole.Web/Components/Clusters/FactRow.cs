namespace RecoveryConsole.Web.Components.Clusters;

/// <summary>One editable fact.</summary>
public sealed class FactRow
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}
