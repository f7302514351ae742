using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit.Tests.Runs;

public sealed class RunListTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Day1 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private TestStore _store = null!;
    private readonly Dictionary<string, Guid> _ids = [];

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        // name, procedure id, title, cluster, user, status path, created
        await Seed("A", "ocp4-restore-previous-state", "Restore the cluster to a previous state", "prod-east", "alice",
            [RunStatus.Running, RunStatus.Succeeded], Day1);
        await Seed("B", "ocp4-etcd-backup", "Back up etcd", "prod-east", "bob", [RunStatus.Failed], Day1.AddDays(1));
        await Seed("C", "ocp4-restore-previous-state", "Restore the cluster to a previous state", "lab-1", "bob",
            [RunStatus.Running], Day1.AddDays(2));
        await Seed("D", "ocp4-replace-member", "Replace an unhealthy etcd member", "lab-1", "carol",
            [RunStatus.Running, RunStatus.WaitingForApproval], Day1.AddDays(3));
        await Seed("E", "ocp4-etcd-backup", "Back up etcd", "prod-west", "alice", [], Day1.AddDays(4));
        // F is 04:30 UTC written as 10:00+05:30; G at 05:00 UTC is newer although its local clock shows less.
        await Seed("F", "ocp4-etcd-backup", "Back up etcd", "prod-west", "carol", [RunStatus.Interrupted],
            new DateTimeOffset(2026, 5, 6, 10, 0, 0, TimeSpan.FromHours(5.5)));
        await Seed("G", "drill-100%", "Drill: 100% of hosts", "lab_2", "dave", [RunStatus.Running, RunStatus.WaitingForOperator],
            new DateTimeOffset(2026, 5, 6, 5, 0, 0, TimeSpan.Zero));
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task Seed(string name, string procedureId, string title, string cluster, string user, RunStatus[] path, DateTimeOffset created)
    {
        var run = new Run(procedureId, title, "h", cluster, cluster.StartsWith("lab", StringComparison.Ordinal), "{}", user, created);
        foreach (var status in path) run.MoveTo(status, created.AddMinutes(1));
        await _store.Runs.AddAsync(run, None);
        _ids[name] = run.Id;
    }

    private async Task<string> List(RunQuery query)
    {
        var runs = await _store.Runs.ListAsync(query, None);
        var byId = _ids.ToDictionary(kv => kv.Value, kv => kv.Key);
        return string.Concat(runs.Select(r => byId[r.Id]));
    }

    [Fact] public async Task No_filter_lists_all_newest_first() => Assert.Equal("GFEDCBA", await List(new RunQuery()));

    [Fact] public async Task By_cluster() => Assert.Equal("DC", await List(new RunQuery { Cluster = "lab-1" }));

    [Fact] public async Task By_procedure_id() => Assert.Equal("FEB", await List(new RunQuery { Procedure = "ocp4-etcd-backup" }));

    [Fact] public async Task By_procedure_title_substring_ignoring_case() =>
        Assert.Equal("CA", await List(new RunQuery { Procedure = "PREVIOUS state" }));

    [Fact] public async Task By_user() => Assert.Equal("CB", await List(new RunQuery { User = "bob" }));

    [Fact] public async Task By_status() => Assert.Equal("D", await List(new RunQuery { Status = RunStatus.WaitingForApproval }));

    [Fact] public async Task By_date_range_from_inclusive_to_exclusive() =>
        Assert.Equal("CB", await List(new RunQuery { From = Day1.AddDays(1), To = Day1.AddDays(3) }));

    [Fact] public async Task Date_bounds_compare_instants_not_local_clock_readings() =>
        // 07:00+02:00 is 05:00 UTC: G (05:00 UTC) is in, F (04:30 UTC) is not.
        Assert.Equal("G", await List(new RunQuery { From = new DateTimeOffset(2026, 5, 6, 7, 0, 0, TimeSpan.FromHours(2)) }));

    [Fact] public async Task Free_text_over_title_cluster_and_user() =>
        Assert.Equal("FEDB", await List(new RunQuery { Text = "ETCD" }));

    [Fact]
    public async Task Free_text_matches_user_cluster_and_procedure_id()
    {
        Assert.Equal("EA", await List(new RunQuery { Text = "ALICE" }));
        Assert.Equal("FE", await List(new RunQuery { Text = "west" }));
        Assert.Equal("D", await List(new RunQuery { Text = "replace-member" }));
        Assert.Equal("", await List(new RunQuery { Text = "nobody" }));
    }

    [Fact]
    public async Task Free_text_wildcards_are_literal()
    {
        Assert.Equal("G", await List(new RunQuery { Text = "_" }));    // only lab_2 has an underscore
        Assert.Equal("G", await List(new RunQuery { Text = "100%" })); // a literal percent sign
        Assert.Equal("", await List(new RunQuery { Text = "%%%" }));
    }

    [Fact] public async Task Filters_combine() =>
        Assert.Equal("E", await List(new RunQuery { User = "alice", Procedure = "ocp4-etcd-backup", Cluster = "prod-west" }));

    [Fact] public async Task Skip_and_take_page_the_newest_first_order() =>
        Assert.Equal("EDC", await List(new RunQuery { Skip = 2, Take = 3 }));

    [Fact]
    public async Task Listed_runs_carry_their_steps_and_approvals()
    {
        var run = (await _store.Runs.GetAsync(_ids["D"], None))!;
        run.StepOn("a", "", "A");
        run.RequestApproval("a", "A", Day1);
        await _store.Runs.SaveAsync(run, None);

        var listed = Assert.Single(await _store.Runs.ListAsync(new RunQuery { Cluster = "lab-1", User = "carol" }, None));
        StateAssert.SameRun(run, listed);
    }

    [Fact]
    public async Task Active_runs_are_pending_running_or_waiting()
    {
        var active = await _store.Runs.ListActiveAsync(None);
        var byId = _ids.ToDictionary(kv => kv.Value, kv => kv.Key);
        Assert.Equal("CDEG", string.Concat(active.Select(r => byId[r.Id]))); // oldest first
    }
}
