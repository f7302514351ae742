using System.Net;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Api;

/// <summary>The events stream ends when the run waits for nobody but a resume; after the resume a client follows on from its last sequence.</summary>
[Trait("Category", "Security")]
public sealed class RunFollowApiTests
{
    [Fact]
    public async Task An_interrupted_run_ends_the_stream_and_after_resume_following_from_the_last_sequence_misses_and_repeats_nothing()
    {
        var data = TestConsole.NewDataDirectory();
        try
        {
            string oliviaToken, arjunToken;
            Guid runId;
            await using (var first = await TestConsole.StartAsync(dataDirectory: data))
            {
                oliviaToken = (await ApiClient.CreateTokenAsync(first, DemoUsers.Olivia.Name, [], null)).Secret;
                arjunToken = (await ApiClient.CreateTokenAsync(first, DemoUsers.Arjun.Name, [], null)).Secret;
                using var olivia = new ApiClient(first.BaseAddress, oliviaToken);
                runId = await ApiRuns.StartAsync(olivia, DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters);
                await ApiRuns.WaitForAsync(olivia, runId, v => v.PendingApproval);
            } // the console stops under the run: Interrupted

            await using var second = await TestConsole.StartAsync(dataDirectory: data);
            using var oliviaAgain = new ApiClient(second.BaseAddress, oliviaToken);
            using var arjun = new ApiClient(second.BaseAddress, arjunToken);
            var before = await ApiRuns.FollowToEndAsync(oliviaAgain, runId);
            Assert.Equal(RunStatus.Interrupted, ApiRuns.LastState(before).Status);
            var last = ApiRuns.LastSequence(before);
            Assert.True(last > 0);

            Assert.Equal("Resuming re-runs the step that was cut off: confirm with a note why that is safe.", await ApiClient.ExpectAsync(
                await oliviaAgain.PostAsync($"/api/v1/runs/{runId}/resume", new { note = "" }), HttpStatusCode.BadRequest));
            await ApiClient.ExpectAsync(await oliviaAgain.PostAsync($"/api/v1/runs/{runId}/resume", new { note = "console restarted, nothing ran twice" }),
                HttpStatusCode.NoContent);
            var asked = await ApiRuns.WaitForAsync(arjun, runId, v => v.Status == RunStatus.WaitingForApproval ? v.PendingApproval : null);
            await ApiClient.ExpectAsync(await oliviaAgain.PostAsync($"/api/v1/runs/{runId}/cancel", new { reason = "resume checked" }), HttpStatusCode.NoContent);

            var after = await ApiRuns.FollowToEndAsync(arjun, runId, after: last);
            Assert.Equal(RunStatus.Cancelled, ApiRuns.LastState(after).Status);
            var sequences = after.Where(e => e.Lines is not null).SelectMany(e => e.Lines!).Select(l => l.Sequence).ToList();
            Assert.NotEmpty(sequences);
            Assert.Equal(Enumerable.Range((int)last + 1, sequences.Count).Select(i => (long)i), sequences);
            Assert.NotNull(asked.BindingHash);
        }
        finally { TestConsole.DeleteData(data); }
    }
}
