using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Attention;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Attention;

/// <summary>What waits for whom, across runs, kept live from the feed, with RunService's own rules.</summary>
public sealed class AttentionBoardTests
{
    private static readonly string Steps = """
          - { id: look, title: Look at the VIP, section: "1", manual: "Check which host holds the API VIP." }
          - { id: restore, title: Run the restore script, section: "2", destructive: true, on: recoveryHost, run: "restore.sh" }
        """;

    [Fact]
    public async Task A_manual_step_waits_for_operators_then_its_approval_for_an_approver_who_did_not_drive_the_run_and_nothing_after()
    {
        await using var engine = await Support.Engine.StartAsync(new TestCluster(new ScriptedHosts(), new NoApi()), TestProcedure.With(Steps));
        var board = engine.Services.GetRequiredService<AttentionBoard>();
        var changes = 0;
        board.Changed += () => Interlocked.Increment(ref changes);
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForOperator);
        await Eventually.HoldsAsync(() => board.All.Count == 1, "the manual step on the board");

        var confirm = Assert.Single(board.For(Support.Engine.Olivia));
        Assert.Equal((WaitingKind.Confirmation, "look", id), (confirm.Kind, confirm.StepPath, confirm.RunId));
        Assert.Empty(board.For(Support.Engine.Arjun));   // an approver alone does not confirm
        Assert.Empty(board.For(Support.Engine.Vera));    // a viewer does nothing

        var mallory = new Actor("mallory", [Roles.Operator]);
        await engine.Runs.ConfirmAsync(id, "look", mallory, "VIP on m1", CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
        await Eventually.HoldsAsync(() => board.All.Any(i => i.Kind == WaitingKind.Approval), "the approval on the board");

        Assert.Equal("restore", Assert.Single(board.For(Support.Engine.Arjun)).StepPath);
        Assert.Empty(board.For(Support.Engine.Olivia));
        // An approver who confirmed the manual step drove the run: not theirs to approve either.
        Assert.Empty(board.For(new Actor("mallory", [Roles.Operator, Roles.Approver])));
        // A role on the cluster decides, not the global role.
        Assert.Empty(board.For(Support.Engine.Arjun with { ClusterRoles = new Dictionary<string, IReadOnlyCollection<string>> { [TestCluster.Name] = [Roles.Viewer] } }));

        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, "ok", CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        await Eventually.HoldsAsync(() => board.All.Count == 0, "an empty board");
        var settled = Volatile.Read(ref changes);
        Assert.True(settled >= 3, $"changes seen: {settled}"); // confirmation, approval, nothing
    }
}
